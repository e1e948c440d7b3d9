package dev.esctl.engine;

/** What the store knows of one stream: its last version (= event count), and the seq of its last event. */
public record StreamState(String stream, long lastVersion, long lastSeq) {}
