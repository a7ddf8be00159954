package org.amber.transforms.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;

/**
 * A CSV.gz shard (RFC 4180, UTF-8, {@code \n} line ends). Its first gzip member holds only the
 * header line, so that shards can be concatenated into one file by dropping later shards' first
 * {@code header_bytes}; the rows follow in a second member. An empty field is NULL, a quoted empty
 * field ({@code ""}) the empty string; arrays and json are their JSON text.
 */
final class CsvShardWriter implements ShardWriter {
  private static final int FLUSH_AT = 1 << 16;
  private static final byte[] EMPTY = {'"', '"'};

  private final ShardOutput out;
  private final int gzipLevel;
  private final String path;
  private final ColumnType[] types;
  private final ColumnType.Kind[] kinds;
  private final ByteBuilder buffer = new ByteBuilder();
  private final ByteBuilder json = new ByteBuilder();
  private final long headerBytes;
  private GzipMember rows;
  private long count;
  private boolean finished;

  CsvShardWriter(ShardOutput out, String path, SourceSchema schema, int gzipLevel)
      throws IOException {
    this.out = out;
    this.gzipLevel = gzipLevel;
    this.path = path;
    this.types = schema.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    this.kinds =
        schema.columns().stream().map(c -> c.type().kind()).toArray(ColumnType.Kind[]::new);
    ByteBuilder header = new ByteBuilder();
    for (int i = 0; i < schema.size(); i++) {
      if (i > 0) {
        header.append((byte) ',');
      }
      appendText(header, schema.get(i).name().getBytes(StandardCharsets.UTF_8));
    }
    header.append((byte) '\n');
    GzipMember member = new GzipMember(out, gzipLevel);
    header.writeTo(member);
    member.finish();
    this.headerBytes = out.bytes();
  }

  @Override
  public void write(Object[] row) throws IOException {
    for (int i = 0; i < types.length; i++) {
      if (i > 0) {
        buffer.append((byte) ',');
      }
      Object value = row[i];
      if (value == null) {
        continue;
      }
      switch (kinds[i]) {
        case STRING:
        case JSON:
          appendText(buffer, (byte[]) value);
          break;
        case LIST:
          JsonText.append(json, types[i], value);
          appendText(buffer, json.toByteArray());
          json.reset();
          break;
        default:
          int before = buffer.length();
          ValueText.appendPlain(buffer, types[i], value);
          if (buffer.length() == before) {
            buffer.append(EMPTY); // an empty value (zero bytes in base64) is not NULL
          }
      }
    }
    buffer.append((byte) '\n');
    count++;
    if (buffer.length() >= FLUSH_AT) {
      flush();
    }
  }

  private void flush() throws IOException {
    if (rows == null) {
      rows = new GzipMember(out, gzipLevel);
    }
    buffer.writeTo(rows);
  }

  /** A field quoted when it must be: empty (to tell it from NULL), or holding , " CR or LF. */
  private static void appendText(ByteBuilder out, byte[] utf8) {
    boolean quote = utf8.length == 0;
    for (int i = 0; i < utf8.length && !quote; i++) {
      byte b = utf8[i];
      quote = b == ',' || b == '"' || b == '\n' || b == '\r';
    }
    if (!quote) {
      out.append(utf8);
      return;
    }
    out.append((byte) '"');
    int start = 0;
    for (int i = 0; i < utf8.length; i++) {
      if (utf8[i] == '"') {
        out.append(utf8, start, i - start + 1).append((byte) '"');
        start = i + 1;
      }
    }
    out.append(utf8, start, utf8.length - start).append((byte) '"');
  }

  @Override
  public ShardFile finish() throws IOException {
    if (buffer.length() > 0) {
      flush();
    }
    if (rows != null) {
      rows.finish();
    }
    finished = true;
    out.close();
    return new ShardFile(path, count, out.bytes(), out.sha256(), headerBytes, null);
  }

  @Override
  public void close() {
    if (!finished && rows != null) {
      rows.close();
    }
  }
}
