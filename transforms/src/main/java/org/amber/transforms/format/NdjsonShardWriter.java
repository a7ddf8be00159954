package org.amber.transforms.format;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.amber.artifacts.manifest.ShardFile;
import org.amber.transforms.schema.Column;
import org.amber.transforms.schema.ColumnType;
import org.amber.transforms.schema.SourceSchema;

/**
 * An NDJSON.gz shard: one JSON object per line, keys in schema order, NULL as {@code null}. See
 * {@link JsonText} for how each type is rendered. An empty shard is one empty gzip member, so every
 * shard is a valid gzip file.
 */
final class NdjsonShardWriter implements ShardWriter {
  private static final int FLUSH_AT = 1 << 16;

  private final ShardOutput out;
  private final int gzipLevel;
  private final String path;
  private final ColumnType[] types;
  private final byte[][] keys;
  private final ByteBuilder buffer = new ByteBuilder();
  private final GzipMember member;
  private long count;
  private boolean finished;

  NdjsonShardWriter(ShardOutput out, String path, SourceSchema schema, int gzipLevel)
      throws IOException {
    this.out = out;
    this.gzipLevel = gzipLevel;
    this.path = path;
    this.types = schema.columns().stream().map(Column::type).toArray(ColumnType[]::new);
    this.keys = new byte[types.length][];
    for (int i = 0; i < types.length; i++) {
      ByteBuilder key = new ByteBuilder();
      key.append((byte) (i == 0 ? '{' : ','));
      JsonText.appendString(key, schema.get(i).name().getBytes(StandardCharsets.UTF_8));
      key.append((byte) ':');
      keys[i] = key.toByteArray();
    }
    this.member = new GzipMember(out, gzipLevel);
  }

  @Override
  public void write(Object[] row) throws IOException {
    for (int i = 0; i < types.length; i++) {
      buffer.append(keys[i]);
      JsonText.append(buffer, types[i], row[i]);
    }
    buffer.append((byte) '}').append((byte) '\n');
    count++;
    if (buffer.length() >= FLUSH_AT) {
      buffer.writeTo(member);
    }
  }

  @Override
  public ShardFile finish() throws IOException {
    buffer.writeTo(member);
    member.finish();
    finished = true;
    out.close();
    return new ShardFile(path, count, out.bytes(), out.sha256(), null, null);
  }

  @Override
  public void close() {
    if (!finished) {
      member.close();
    }
  }
}
