package org.amber.transforms.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.amber.artifacts.manifest.ContentDigest;

/**
 * The stream a shard file is written through: counts its bytes and computes its SHA-256 on the way,
 * so that nothing has to be read back to fill in the manifest.
 */
public final class ShardOutput extends FilterOutputStream {
  private final MessageDigest sha256 = ContentDigest.sha256();
  private long bytes;
  private String hex;

  public ShardOutput(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    sha256.update((byte) b);
    bytes++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    sha256.update(b, off, len);
    bytes += len;
  }

  /** Bytes written so far. */
  public long bytes() {
    return bytes;
  }

  /** The SHA-256 of everything written, in hex; only after {@link #close()}. */
  public String sha256() {
    if (hex == null) {
      throw new IllegalStateException("the shard is still being written");
    }
    return hex;
  }

  @Override
  public void close() throws IOException {
    if (hex == null) {
      hex = HexFormat.of().formatHex(sha256.digest());
      out.close();
    }
  }
}
