package org.amber.transforms.postgres;

/**
 * A snapshot exported by {@link SnapshotCoordinator}.
 *
 * @param id what {@code SET TRANSACTION SNAPSHOT} takes
 * @param lsn the WAL position when it was taken (replay position on a standby)
 * @param txidSnapshot {@code txid_current_snapshot()}: xmin:xmax:xip-list
 * @param serverVersion the server's {@code server_version}
 */
public record ExportedSnapshot(String id, String lsn, String txidSnapshot, String serverVersion) {}
