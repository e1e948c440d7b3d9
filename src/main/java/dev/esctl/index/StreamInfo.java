package dev.esctl.index;

/** A stream's name, last version (= its event count) and the seq of its last event. */
public record StreamInfo(String stream, long lastVersion, long lastSeq) {}
