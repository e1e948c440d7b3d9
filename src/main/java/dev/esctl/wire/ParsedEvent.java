package dev.esctl.wire;

import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;

/** One input line: the event, and the expectation the line carried for its stream (null when none). */
public record ParsedEvent(NewEvent event, Expectation expectation) {}
