/**
 * The contract every pxops service shares: the message envelope, the sealed hierarchy of events and
 * commands, the JSON codec, the topic catalogue and the consumer group ids.
 *
 * <p>This package does no I/O and depends only on the JDK and Jackson. It must never import Kafka,
 * fabric8 or JDBC types: services adapt these plain types to their clients, not the other way round.
 *
 * <p>Schema evolution rules for every record in this package:
 *
 * <ol>
 *   <li>Fields are only ever added, never renamed, re-typed or removed.
 *   <li>A field added later must accept {@code null} (old messages do not carry it).
 *   <li>Readers ignore fields they do not know (the codec is configured that way).
 *   <li>A change a reader cannot ignore gets a new logical type or a higher {@code schemaVersion}.
 * </ol>
 */
package io.pxops.events;
