package org.amber.transforms.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.RowCursor;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

/**
 * The rows of a SELECT, streamed with {@code COPY (…) TO STDOUT (FORMAT binary)} and decoded as
 * they arrive: no text parsing, no result set held in memory. Closing it ends the transaction of
 * the connection it was given.
 */
final class CopyBinaryCursor implements RowCursor {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };

  private final Connection connection;
  private final InputStream stream;
  private final BinaryInput in;
  private final BinaryValueDecoder[] decoders;
  private final Object[] row;
  private boolean done;

  CopyBinaryCursor(Connection connection, String select, SourceSchema schema)
      throws SQLException, IOException {
    this.connection = connection;
    this.stream =
        new PGCopyInputStream(
            connection.unwrap(PGConnection.class),
            "COPY (" + select + ") TO STDOUT (FORMAT binary)");
    this.in = new BinaryInput(stream, 1 << 16);
    this.decoders =
        schema.columns().stream()
            .map(BinaryValueDecoder::forColumn)
            .toArray(BinaryValueDecoder[]::new);
    this.row = new Object[decoders.length];
    readHeader();
  }

  private void readHeader() throws IOException {
    byte[] signature = in.readBytes(SIGNATURE.length);
    if (!Arrays.equals(signature, SIGNATURE)) {
      throw new IOException("not a binary COPY stream");
    }
    in.readInt(); // flags
    in.skip(in.readInt()); // header extension
  }

  @Override
  public boolean next() throws IOException {
    if (done) {
      return false;
    }
    int fields = in.readShort();
    if (fields == -1) {
      done = true;
      return false;
    }
    if (fields != decoders.length) {
      throw new IOException("COPY row has " + fields + " fields, expected " + decoders.length);
    }
    for (int i = 0; i < fields; i++) {
      int length = in.readInt();
      row[i] = length < 0 ? null : decoders[i].decode(in, length);
    }
    return true;
  }

  @Override
  public Object[] row() {
    return row;
  }

  @Override
  public void close() throws Exception {
    try {
      if (!done) {
        stream.close(); // cancels the COPY
      } else {
        while (stream.read() >= 0) {
          // drain the end of the COPY so the connection is ready for COMMIT
        }
      }
    } finally {
      PostgresSessions.end(connection);
    }
  }
}
