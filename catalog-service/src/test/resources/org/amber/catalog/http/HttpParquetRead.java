// Reads a Parquet file from a URL with parquet-java, only by HTTP Range requests: the length and
// the footer's tail come from one suffix range (bytes=-8), everything else from single ranges.
// Run as a single-file program on the pipelines jar's class path (the catalog's own test class
// path has no Hadoop): java -cp amber-pipelines.jar HttpParquetRead.java URL
// Prints "rows=<n> groups=<g> sum(<first int column>)=<s>" and every Range header it sent.

import java.io.EOFException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.MessageType;

public class HttpParquetRead {
  static final HttpClient CLIENT = HttpClient.newHttpClient();
  static final List<String> RANGES = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    HttpInputFile file = new HttpInputFile(URI.create(args[0]));
    long rows = 0;
    long sum = 0;
    int groups = 0;
    try (ParquetFileReader reader = ParquetFileReader.open(file)) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        groups++;
        RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          sum += records.read().getInteger(0, 0);
          rows++;
        }
      }
    }
    System.out.println("rows=" + rows + " groups=" + groups + " sum=" + sum);
    RANGES.forEach(r -> System.out.println("range " + r));
  }

  static byte[] get(URI uri, String range) throws IOException {
    RANGES.add(range);
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(
              HttpRequest.newBuilder(uri).header("Range", range).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 206) {
        throw new IOException(range + " answered " + response.statusCode());
      }
      lastContentRange = response.headers().firstValue("Content-Range").orElseThrow();
      return response.body();
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  static String lastContentRange;

  static final class HttpInputFile implements InputFile {
    final URI uri;
    final long length;
    final byte[] tail;

    HttpInputFile(URI uri) throws IOException {
      this.uri = uri;
      this.tail = get(uri, "bytes=-8");
      this.length = Long.parseLong(lastContentRange.substring(lastContentRange.indexOf('/') + 1));
    }

    @Override
    public long getLength() {
      return length;
    }

    @Override
    public SeekableInputStream newStream() {
      return new SeekableInputStream() {
        long pos;

        @Override
        public long getPos() {
          return pos;
        }

        @Override
        public void seek(long newPos) {
          pos = newPos;
        }

        @Override
        public int read() throws IOException {
          byte[] one = new byte[1];
          return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (pos >= length) {
            return -1;
          }
          int n = (int) Math.min(len, length - pos);
          readFully(b, off, n);
          return n;
        }

        @Override
        public void readFully(byte[] bytes) throws IOException {
          readFully(bytes, 0, bytes.length);
        }

        @Override
        public void readFully(byte[] bytes, int start, int len) throws IOException {
          if (len == 0) {
            return;
          }
          if (pos + len > length) {
            throw new EOFException();
          }
          if (pos >= length - tail.length) {
            System.arraycopy(tail, (int) (pos - (length - tail.length)), bytes, start, len);
          } else {
            byte[] got = get(uri, "bytes=" + pos + "-" + (pos + len - 1));
            System.arraycopy(got, 0, bytes, start, len);
          }
          pos += len;
        }

        @Override
        public int read(ByteBuffer buf) throws IOException {
          int n = (int) Math.min(buf.remaining(), length - pos);
          if (n <= 0) {
            return -1;
          }
          byte[] bytes = new byte[n];
          readFully(bytes, 0, n);
          buf.put(bytes);
          return n;
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
          byte[] bytes = new byte[buf.remaining()];
          readFully(bytes, 0, bytes.length);
          buf.put(bytes);
        }
      };
    }
  }
}
