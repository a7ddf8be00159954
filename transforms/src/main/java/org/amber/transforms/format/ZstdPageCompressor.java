package org.amber.transforms.format;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Compresses a shard's Parquet pages with zstd (zstd-jni, the library parquet-java's own codec
 * uses), one whole page at a time through one compression context for the whole shard:
 * parquet-java's codec streams every page through a new {@code ZstdOutputStream}, which sets up and
 * clears a context of its own for each page. Level {@value #LEVEL}, parquet-java's default.
 */
final class ZstdPageCompressor implements BytesInputCompressor {
  static final int LEVEL = 3;

  /** Made for the first page: it loads zstd's native library, which an empty shard never needs. */
  private ZstdCompressCtx context;

  private byte[] output = new byte[0];

  @Override
  public BytesInput compress(BytesInput page) throws IOException {
    if (context == null) {
      context = new ZstdCompressCtx().setLevel(LEVEL);
    }
    byte[] input = page.toByteArray();
    int bound = Math.toIntExact(Zstd.compressBound(input.length));
    if (output.length < bound) {
      output = new byte[bound];
    }
    int length = context.compressByteArray(output, 0, output.length, input, 0, input.length);
    // A copy: the page store keeps the compressed page until its row group is written.
    return BytesInput.from(Arrays.copyOf(output, length));
  }

  @Override
  public CompressionCodecName getCodecName() {
    return CompressionCodecName.ZSTD;
  }

  @Override
  public void release() {
    if (context != null) {
      context.close();
      context = null;
    }
  }
}
