package io.pxops.events;

/**
 * The payload of an {@link Envelope}: either a fact that happened ({@link Event}) or an order to do
 * something ({@link Command}).
 *
 * <p>The hierarchy is sealed, and its leaves are records. The codec derives its type registry from
 * the sealed hierarchy ({@link MessageTypes}): the logical type name of a message on the wire is the
 * simple name of its record class, so renaming a record is a breaking change.
 */
public sealed interface Message permits Event, Command {}
