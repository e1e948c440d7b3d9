package dev.esctl.storage;

/** Where the frame of event {@code seq} starts: in the segment named by {@code segmentFirstSeq}, at byte {@code offset}. */
public record FramePosition(long seq, long segmentFirstSeq, long offset) {}
