package dev.esctl.engine;

/** The versions a batch gave one stream: {@code firstVersion..lastVersion}, {@code count} events. */
public record StreamRange(String stream, long firstVersion, long lastVersion, long count) {}
