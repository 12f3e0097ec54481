package io.pxops.events;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The topic catalogue: every topic pxops uses, declared once, immutable. */
public final class Topics {

  /** Inbound update requests from any Kafka client, before validation; keyed by database. */
  public static final String REQUESTS = "pxops.requests";

  /** Step commands from the coordinator to the runners and the verifier; keyed by database. */
  public static final String COMMANDS = "pxops.commands";

  /** The lifecycle log: every fact, in the past tense; keyed by database. */
  public static final String EVENTS = "pxops.events";

  /** The current status of every ops request, compacted; keyed by ops request. */
  public static final String STATUS = "pxops.status";

  /** Records that cannot be processed, with the reason; keyed as the topic they came from. */
  public static final String DLQ = "pxops.dlq";

  /**
   * The campaigns' log: what users ask of a campaign (create, approve, pause, resume, cancel), its
   * members' results, and what its state machine decided; keyed by campaign name. Schema: {@code
   * docs/schema/campaign-record.schema.json}.
   */
  public static final String CAMPAIGNS = "pxops.campaigns";

  /** Default partition count of every topic. */
  public static final int DEFAULT_PARTITIONS = 3;

  private static final String BY_DATABASE = "database reference \"namespace/name\"";

  /**
   * How long the lifecycle log keeps a request's history by default: a request lasts minutes to hours (each step
   * at most its 24 h timeout), and its history ({@code pxops history}, replay of a Failed request, the status
   * projector rebuilding its stores) must outlive it by far more than a weekend. Deployments set their own with
   * the coordinator's {@code PXOPS_EVENTS_RETENTION}.
   */
  public static final Duration EVENTS_RETENTION = Duration.ofDays(30);

  /**
   * Inbound requests and step commands are worth nothing once handled: a command is answered or timed out within
   * its step timeout (at most 24 h), a request is admitted or refused within seconds. A week leaves room to read
   * them while looking into an incident.
   */
  public static final Duration WORK_RETENTION = Duration.ofDays(7);

  /** Dead letters wait for a person: a month, like the lifecycle log they explain. */
  public static final Duration DLQ_RETENTION = Duration.ofDays(30);

  private static final List<TopicSpec> ALL =
      List.of(
          new TopicSpec(
              REQUESTS,
              DEFAULT_PARTITIONS,
              false,
              WORK_RETENTION,
              BY_DATABASE,
              "inbound UpdateVersion requests written by any Kafka client; read by the request ingest"),
          new TopicSpec(
              COMMANDS,
              DEFAULT_PARTITIONS,
              false,
              WORK_RETENTION,
              BY_DATABASE,
              "step commands written by the coordinator; read by the step runners and the verifier"),
          new TopicSpec(
              EVENTS,
              DEFAULT_PARTITIONS,
              false,
              EVENTS_RETENTION,
              BY_DATABASE,
              "the lifecycle log of every request: admissions, decisions and step results; read by"
                  + " the coordinator, the status projector and the CLI"),
          new TopicSpec(
              STATUS,
              DEFAULT_PARTITIONS,
              true,
              null,
              "ops request reference \"namespace/name\"",
              "the current status of every ops request, written by the status projector"),
          new TopicSpec(
              DLQ,
              DEFAULT_PARTITIONS,
              false,
              DLQ_RETENTION,
              "the key of the record that could not be processed",
              "records that could not be processed, with the reason in the record headers"),
          new TopicSpec(
              CAMPAIGNS,
              DEFAULT_PARTITIONS,
              false,
              EVENTS_RETENTION,
              "campaign name",
              "the campaigns' log: their inputs (from the doors, member results, control) and"
                  + " decisions; read by the coordinator and the status projector"));

  private Topics() {}

  /**
   * Every topic, in the order above.
   *
   * @return an immutable list
   */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /**
   * Looks a topic up by name.
   *
   * @param name a topic name
   * @return its spec, or empty if pxops does not use that topic
   */
  public static Optional<TopicSpec> spec(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
