/**
 * Snapshots and restore: a consistent cut of a live store ({@link dev.esctl.snapshot.SnapshotCut})
 * written as one tar file ({@link dev.esctl.snapshot.SnapshotWriter}, where the format is
 * drawn), read and verified as a stream ({@link dev.esctl.snapshot.SnapshotReader}), published
 * by temp file and rename ({@link dev.esctl.snapshot.SnapshotFile}), and laid out as a new
 * data directory all or nothing ({@link dev.esctl.snapshot.SnapshotRestore}).
 */
package dev.esctl.snapshot;
