package io.pxops.events;

/** Answers {@link PauseDatabase}: the database's {@code Paused} condition is set and visible. */
public record DatabasePaused() implements Event {}
