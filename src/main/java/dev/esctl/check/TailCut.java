package dev.esctl.check;

import java.nio.file.Path;

/**
 * Where a damaged or torn end of the log can be cut: segment {@code segment} from byte
 * {@code offset} to its end (offset 0: the whole file), after which the log ends at the last
 * good batch, event {@code lastSeq} with chain hash {@code lastHash}, in the segment that starts
 * at {@code endSegmentFirstSeq} at byte {@code endOffset}. {@code bytes} may be 0 when nothing
 * is left to cut (the last segment was lost; only the checkpoint still claims it).
 */
public record TailCut(Path segment, long offset, long bytes, long lastSeq, byte[] lastHash,
                      long endSegmentFirstSeq, long endOffset, long firstCutSeq, boolean acknowledged) {}
