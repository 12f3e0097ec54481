package io.pxops.events;

/** The request ends Successful: every pod runs the target version and the database was resumed. */
public record RequestSucceeded() implements Event {}
