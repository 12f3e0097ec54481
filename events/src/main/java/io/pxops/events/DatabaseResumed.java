package io.pxops.events;

/** Answers {@link ResumeDatabase}: the database's {@code Paused} condition is gone. */
public record DatabaseResumed() implements Event {}
