/**
 * The contract between a build process and whoever launched it: the summary line the process prints
 * last on stdout ({@link org.amber.artifacts.protocol.BuildSummary}) and the events it prints as
 * JSON lines on stderr with {@code --progress json} ({@link
 * org.amber.artifacts.protocol.BuildEvent}), written and read one line at a time by {@link
 * org.amber.artifacts.protocol.ProtocolLines}; and the system property by which a launcher asks a
 * build to vouch for its class archive ({@link org.amber.artifacts.protocol.ClassArchiveMarker}).
 *
 * <p>The pipelines' {@code amber materialise} writes these lines and the catalog service, which
 * runs builds as child processes, reads them; scripts read the summary line too, so its field names
 * and key order are part of the CLI's documented output and do not change.
 */
package org.amber.artifacts.protocol;
