package io.pxops.statusprojector.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.status.RequestStatus;
import io.pxops.statusprojector.projection.StatusTopology;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries that give the same answer whichever instance is asked.
 *
 * <ul>
 *   <li>A single status lives on exactly one instance: {@code queryMetadataForKey} names it; this
 *       instance reads its own store (only the key's partition) or forwards the call to the owner's
 *       internal endpoint, which reads its local store and never forwards again.
 *   <li>A list is spread over every instance: each one that {@code streamsMetadataForStore} names
 *       is asked for the matching statuses of the partitions it serves, and the answers are merged.
 *       The list is given only if every partition of the store was answered; otherwise (a
 *       rebalance moved a partition in between) the caller is told to retry.
 *   <li>While Streams is not RUNNING (starting, rebalancing), or a store is migrating ({@link
 *       InvalidStateStoreException}), or an owner cannot be reached, the answer is 503 with {@code
 *       Retry-After}: a stale or partial answer is never given as a whole one.
 * </ul>
 */
public final class StatusQueries {

  /** Internal path of one request status, answered from the local store only. */
  public static final String INTERNAL_REQUEST = "/internal/v1/request-status";

  /** Internal path of one database status, answered from the local store only. */
  public static final String INTERNAL_DATABASE = "/internal/v1/database-status";

  // Kubernetes object names (DNS-1123 subdomains) and namespaces (labels)
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final PeerClient peers;
  private volatile HostInfo self;
  private volatile KafkaStreams streams;

  /**
   * Queries answered by this instance, once {@link #attach attached}.
   *
   * @param peers how to reach the other instances
   */
  public StatusQueries(PeerClient peers) {
    this.peers = peers;
  }

  /**
   * Attaches the Streams instance once it exists: the HTTP server starts first, so that its port
   * is known for {@code application.server}. Until then every query answers 503.
   *
   * @param kafkaStreams the projector's Streams instance
   * @param advertised this instance as advertised in {@code application.server}
   */
  public void attach(KafkaStreams kafkaStreams, HostInfo advertised) {
    this.self = advertised;
    this.streams = kafkaStreams;
  }

  /**
   * The Streams state, for the health check.
   *
   * @return the state, or {@code null} before {@link #attach}
   */
  public KafkaStreams.State state() {
    KafkaStreams s = streams;
    return s == null ? null : s.state();
  }

  // ---- single statuses -----------------------------------------------------------------------

  /**
   * The status of one ops request, from whichever instance owns it.
   *
   * @param namespace its namespace
   * @param name its name
   * @return 200 with the status, 404, 400 for a malformed name, or 503
   */
  public Answer request(String namespace, String name) {
    return request(namespace, name, null);
  }

  /** As above, forwarding the caller's {@code Authorization} header (or null) to the owning instance. */
  public Answer request(String namespace, String name, String authorization) {
    Answer invalid = checkRef(namespace, name);
    if (invalid != null) {
      return invalid;
    }
    return routed(StatusTopology.REQUEST_STORE, namespace + "/" + name,
        INTERNAL_REQUEST + "/" + encode(namespace) + "/" + encode(name), "update request", authorization);
  }

  /**
   * The status of one ops request from this instance's store (the target of a forwarded call).
   *
   * @param namespace its namespace
   * @param name its name
   * @return 200, 404, or 503 if this instance does not own the key (any more)
   */
  public Answer localRequest(String namespace, String name) {
    Answer invalid = checkRef(namespace, name);
    return invalid != null ? invalid
        : local(StatusTopology.REQUEST_STORE, namespace + "/" + name, null, "update request");
  }

  /**
   * The status of one database, from whichever instance owns it.
   *
   * @param namespace its namespace
   * @param name its name
   * @return 200 with the status, 404, 400 for a malformed name, or 503
   */
  public Answer database(String namespace, String name) {
    return database(namespace, name, null);
  }

  /** As above, forwarding the caller's {@code Authorization} header (or null) to the owning instance. */
  public Answer database(String namespace, String name, String authorization) {
    Answer invalid = checkRef(namespace, name);
    if (invalid != null) {
      return invalid;
    }
    return routed(StatusTopology.DATABASE_STORE, namespace + "/" + name,
        INTERNAL_DATABASE + "/" + encode(namespace) + "/" + encode(name), "database", authorization);
  }

  /**
   * The status of one database from this instance's store (the target of a forwarded call).
   *
   * @param namespace its namespace
   * @param name its name
   * @return 200, 404, or 503
   */
  public Answer localDatabase(String namespace, String name) {
    Answer invalid = checkRef(namespace, name);
    return invalid != null ? invalid
        : local(StatusTopology.DATABASE_STORE, namespace + "/" + name, null, "database");
  }

  private Answer routed(String store, String key, String internalPath, String what, String authorization) {
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return notRunning(s);
    }
    KeyQueryMetadata meta;
    try {
      meta = s.queryMetadataForKey(store, key, Serdes.String().serializer());
    } catch (IllegalStateException e) {
      return Answer.unavailable("the owner of " + key + " is not known yet: " + e.getMessage());
    }
    if (meta == null || KeyQueryMetadata.NOT_AVAILABLE.equals(meta)) {
      return Answer.unavailable("the owner of " + key + " is not known yet (rebalancing)");
    }
    if (self.equals(meta.activeHost())) {
      return local(store, key, meta.partition(), what);
    }
    return peers.get(meta.activeHost(), internalPath, authorization);
  }

  private Answer local(String store, String key, Integer partition, String what) {
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return notRunning(s);
    }
    int p;
    if (partition != null) {
      p = partition;
    } else {
      KeyQueryMetadata meta;
      try {
        meta = s.queryMetadataForKey(store, key, Serdes.String().serializer());
      } catch (IllegalStateException e) {
        return Answer.unavailable("the owner of " + key + " is not known yet: " + e.getMessage());
      }
      if (meta == null || !self.equals(meta.activeHost())) {
        // forwarded here, but the key moved on in between: the caller asks again
        return Answer.unavailable(key + " is not served by this instance any more (rebalanced)");
      }
      p = meta.partition();
    }
    try {
      ReadOnlyKeyValueStore<String, Object> view = s.store(StoreQueryParameters
          .fromNameAndType(store, QueryableStoreTypes.<String, Object>keyValueStore())
          .withPartition(p));
      Object value = view.get(key);
      return value == null ? Answer.notFound("no " + what + " " + key) : Answer.ok(value);
    } catch (InvalidStateStoreException e) {
      return Answer.unavailable("the store of " + key + " is migrating: " + e.getMessage());
    }
  }

  // ---- lists ---------------------------------------------------------------------------------

  /**
   * The statuses of every instance, filtered.
   *
   * @param database {@code "namespace/name"} of a database, or {@code null} for all
   * @param phase a KubeDB phase ({@code Pending}, {@code Progressing}, {@code Successful}, {@code
   *     Failed}, {@code Skipped}), or {@code null} for all
   * @return 200 with a {@link RequestList}, 400 for a malformed filter, or 503
   */
  public Answer list(String database, String phase) {
    return list(database, phase, null, namespace -> true);
  }

  /**
   * As above, keeping only the statuses of namespaces {@code visible} accepts (the caller's), and forwarding the
   * caller's {@code Authorization} header (or null) to the other instances, which filter the same way.
   */
  public Answer list(String database, String phase, String authorization, Predicate<String> visible) {
    return list(database, phase, authorization, visible, false);
  }

  /**
   * As above; with {@code summaries}, each item is the request's {@link RequestStatus#summary()} (read from the
   * summary store: a list of many requests never deserializes their whole statuses).
   */
  public Answer list(String database, String phase, String authorization, Predicate<String> visible,
      boolean summaries) {
    Merged merged = merged(database, phase, authorization, visible, summaries, null, UNLIMITED);
    return merged.refusal() != null ? merged.refusal() : Answer.ok(new RequestList(merged.items()));
  }

  /**
   * One page of the list, in ops request order, as Kubernetes pages its lists: at most {@code limit} statuses
   * after the ones a previous page ended with, and {@code metadata.continue} to ask for the next page while more
   * remain. Each instance reads only the first {@code limit + 1} matches after the token of each of its partitions
   * (its stores are sorted by key), so a page's cost and size follow {@code limit}, not the number of requests: the
   * whole list of 10,000 statuses in one answer was about 95 MB on a 160 MB heap. The token is the last key
   * returned, so a page is neither repeated nor skipped when requests are added or change between calls.
   *
   * @param database a database filter, or null
   * @param phase a phase filter, or null
   * @param limit the page size as given, 1..{@value #MAX_LIMIT}; null or blank: {@value #DEFAULT_LIMIT}
   * @param continueToken {@code metadata.continue} of the previous page, or null for the first
   * @param authorization the caller's {@code Authorization} header, passed on to the other instances
   * @param visible the namespaces the caller may list
   * @return 200 with a {@link RequestList}, 400 naming a bad parameter, or 503
   */
  public Answer page(String database, String phase, String limit, String continueToken, String authorization,
      Predicate<String> visible) {
    int size;
    try {
      size = limit == null || limit.isBlank() ? DEFAULT_LIMIT : Integer.parseInt(limit.trim());
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > MAX_LIMIT) {
      return Answer.badRequest("limit", "must be an integer in 1.." + MAX_LIMIT, limit);
    }
    String after = null;
    if (continueToken != null && !continueToken.isBlank()) {
      after = ContinueToken.decode(continueToken.trim());
      if (after == null) {
        return Answer.badRequest("continue", "must be the metadata.continue of a previous answer", continueToken);
      }
    }
    Merged merged = merged(database, phase, authorization, visible, false, after, size);
    if (merged.refusal() != null) {
      return merged.refusal();
    }
    List<RequestStatus> items = merged.items();
    if (items.size() <= size) {
      return Answer.ok(new RequestList(items));
    }
    List<RequestStatus> page = items.subList(0, size);
    return Answer.ok(new RequestList(new RequestList.ListMeta(
        ContinueToken.encode(page.get(size - 1).opsRequest())), page));
  }

  /** The page size of the status API's list when the caller gives none. */
  public static final int DEFAULT_LIMIT = 500;

  /** The largest page of the status API's list: 1,000 whole statuses are a few megabytes. */
  public static final int MAX_LIMIT = 1000;

  private static final int UNLIMITED = Integer.MAX_VALUE - 1;

  /**
   * Every request's summary from every instance, by ops request, or why not: what the dashboard's pages are cut from.
   * This instance's part is read in-process (no JSON round trip) and holds every namespace; the other instances are
   * asked on behalf of {@code authorization} and answer only its namespaces, so the caller's namespace filter must
   * still be applied to the items.
   *
   * @param authorization the caller's {@code Authorization} header, or null
   * @return the summaries, or a refusal (503 while rebalancing, an instance's refusal)
   */
  public Merged summaries(String authorization) {
    return merged(null, null, authorization, namespace -> true, true, null, UNLIMITED);
  }

  /**
   * A merged list, or why there is none.
   *
   * @param refusal the answer to give instead, or null
   * @param items the statuses, each request once (empty with a refusal)
   * @param askedPeers whether other instances were asked (then the items depend on the caller's authorization)
   */
  public record Merged(Answer refusal, List<RequestStatus> items, boolean askedPeers) {

    private static Merged refused(Answer refusal) {
      return new Merged(refusal, List.of(), false);
    }
  }

  /** The list of every instance; with {@code after} and {@code limit}, only up to {@code limit + 1} of each. */
  private Merged merged(String database, String phase, String authorization, Predicate<String> visible,
      boolean summaries, String after, int limit) {
    Answer invalid = checkFilters(database, phase);
    if (invalid != null) {
      return Merged.refused(invalid);
    }
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return Merged.refused(notRunning(s));
    }
    Collection<StreamsMetadata> owners = s.streamsMetadataForStore(StatusTopology.REQUEST_STORE);
    Set<String> expected = new TreeSet<>();
    owners.forEach(m -> m.topicPartitions().forEach(tp -> expected.add(tp.toString())));
    if (expected.isEmpty()) {
      return Merged.refused(Answer.unavailable("no instance serves the request statuses yet"));
    }
    Set<String> answered = new TreeSet<>();
    Map<String, RequestStatus> merged = new LinkedHashMap<>();
    boolean askedPeers = false;
    for (StreamsMetadata owner : owners) {
      LocalRequestList local;
      if (self.equals(owner.hostInfo())) {
        // this instance's part straight from its store: serializing and reading it back cost more than the scan
        Part part = localPart(s, database, phase, visible, summaries, after, limit);
        if (part.refusal() != null) {
          return Merged.refused(part.refusal());
        }
        local = part.list();
      } else {
        askedPeers = true;
        Answer part = peers.get(owner.hostInfo(), INTERNAL_REQUEST + query(database, phase, summaries, after,
            limit), authorization);
        if (part.status() != 200) {
          return Merged.refused(part.status() == 503 ? part
              : Answer.unavailable("instance " + owner.hostInfo() + " answered " + part.status()));
        }
        local = read(part.body());
      }
      answered.addAll(local.partitions());
      local.items().stream().filter(item -> visible.test(namespaceOf(item.opsRequest())))
          .forEach(item -> merged.putIfAbsent(item.opsRequest(), item));
    }
    if (!answered.containsAll(expected)) {
      Set<String> missing = new TreeSet<>(expected);
      missing.removeAll(answered);
      return Merged.refused(Answer.unavailable("partitions " + missing + " were not answered (rebalancing)"));
    }
    List<RequestStatus> items = new ArrayList<>(merged.values());
    items.sort(Comparator.comparing(RequestStatus::opsRequest));
    return new Merged(null, items, askedPeers);
  }

  /**
   * The matching statuses of the partitions this instance serves (the target of a fan-out).
   *
   * @param database a database filter, or {@code null}
   * @param phase a phase filter, or {@code null}
   * @return 200 with a {@link LocalRequestList}, 400, or 503
   */
  public Answer localList(String database, String phase) {
    return localList(database, phase, namespace -> true);
  }

  /** As above, keeping only the statuses of namespaces {@code visible} accepts. */
  public Answer localList(String database, String phase, Predicate<String> visible) {
    return localList(database, phase, visible, false);
  }

  /** As above; with {@code summaries}, from the summary store ({@link RequestStatus#summary()} of each). */
  public Answer localList(String database, String phase, Predicate<String> visible, boolean summaries) {
    return localList(database, phase, visible, summaries, null, null);
  }

  /**
   * As above, only the first {@code limit + 1} matches of each partition after the key {@code after} (the target
   * of a paged list's fan-out).
   *
   * @param after a key, or null for the first
   * @param limit the page size as given, or null for every match
   */
  public Answer localList(String database, String phase, Predicate<String> visible, boolean summaries, String after,
      String limit) {
    int size = UNLIMITED;
    if (limit != null) {
      try {
        size = Integer.parseInt(limit.trim());
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 1 || size > MAX_LIMIT) {
        return Answer.badRequest("limit", "must be an integer in 1.." + MAX_LIMIT, limit);
      }
    }
    if (after != null) {
      int slash = after.indexOf('/');
      if (slash < 0 || checkRef(after.substring(0, slash), after.substring(slash + 1)) != null) {
        return Answer.badRequest("after", "must be \"namespace/name\"", after);
      }
    }
    Answer invalid = checkFilters(database, phase);
    if (invalid != null) {
      return invalid;
    }
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return notRunning(s);
    }
    Part part = localPart(s, database, phase, visible, summaries, after, size);
    return part.refusal() != null ? part.refusal() : Answer.ok(part.list());
  }

  /** This instance's part of a list, or why it cannot be given. */
  private record Part(Answer refusal, LocalRequestList list) {
  }

  private Part localPart(KafkaStreams s, String database, String phase, Predicate<String> visible,
      boolean summaries, String after, int limit) {
    Set<String> served = servedPartitions(s);
    OpsPhase wanted = phase == null ? null : OpsPhase.fromKubeName(phase);
    List<RequestStatus> items = new ArrayList<>();
    String store = summaries ? StatusTopology.SUMMARY_STORE : StatusTopology.REQUEST_STORE;
    // the smallest key after "after": its bytes and a zero byte (keys are ASCII, sorted by their bytes)
    String from = after == null ? null : after + "\0";
    try {
      // each partition's store is sorted by key: a page reads only the first limit + 1 matches of each
      for (int partition : servedPartitionNumbers(s)) {
        ReadOnlyKeyValueStore<String, RequestStatus> view = s.store(StoreQueryParameters
            .fromNameAndType(store, QueryableStoreTypes.<String, RequestStatus>keyValueStore())
            .withPartition(partition));
        int taken = 0;
        try (KeyValueIterator<String, RequestStatus> range = view.range(from, null)) {
          while (taken <= limit && range.hasNext()) {
            KeyValue<String, RequestStatus> next = range.next();
            RequestStatus status = next.value;
            if ((database == null || database.equals(status.database()))
                && (wanted == null || wanted == status.phase())
                && visible.test(namespaceOf(status.opsRequest()))) {
              items.add(status);
              taken++;
            }
          }
        }
      }
    } catch (InvalidStateStoreException e) {
      return new Part(Answer.unavailable("the request statuses are migrating: " + e.getMessage()), null);
    }
    // the scan is only good for the partitions served before and after it
    if (s.state() != KafkaStreams.State.RUNNING || !served.equals(servedPartitions(s))) {
      return new Part(Answer.unavailable("this instance's partitions changed during the scan"), null);
    }
    return new Part(null, new LocalRequestList(new ArrayList<>(served), items));
  }

  /**
   * The partitions of the request stores this instance holds: those of the repartition topic that feeds them (an
   * instance's metadata also lists its partitions of {@code pxops.events}, whose numbers say nothing of the request
   * stores: asking a store for one of those would fail as if it were migrating).
   */
  private Set<Integer> servedPartitionNumbers(KafkaStreams s) {
    Set<Integer> served = new TreeSet<>();
    for (StreamsMetadata m : s.streamsMetadataForStore(StatusTopology.REQUEST_STORE)) {
      if (self.equals(m.hostInfo())) {
        for (TopicPartition tp : m.topicPartitions()) {
          if (tp.topic().endsWith("-" + StatusTopology.BY_OPS_REQUEST + "-repartition")) {
            served.add(tp.partition());
          }
        }
      }
    }
    return served;
  }

  private Set<String> servedPartitions(KafkaStreams s) {
    Set<String> served = new TreeSet<>();
    for (StreamsMetadata m : s.streamsMetadataForStore(StatusTopology.REQUEST_STORE)) {
      if (self.equals(m.hostInfo())) {
        for (TopicPartition tp : m.topicPartitions()) {
          served.add(tp.toString());
        }
      }
    }
    return served;
  }

  // ---- input checks --------------------------------------------------------------------------

  private static Answer checkRef(String namespace, String name) {
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      return Answer.badRequest("namespace", "must be a Kubernetes namespace name (DNS-1123 label)",
          namespace);
    }
    if (name == null || !NAME.matcher(name).matches()) {
      return Answer.badRequest("name",
          "must be a Kubernetes object name (DNS-1123 subdomain)", name);
    }
    return null;
  }

  private static Answer checkFilters(String database, String phase) {
    if (database != null) {
      int slash = database.indexOf('/');
      if (slash < 0 || checkRef(database.substring(0, slash), database.substring(slash + 1))
          != null) {
        return Answer.badRequest("database", "must be \"namespace/name\"", database);
      }
    }
    if (phase != null) {
      try {
        OpsPhase.fromKubeName(phase);
      } catch (IllegalArgumentException e) {
        return Answer.badRequest("phase",
            "must be one of Pending, Progressing, WaitingForWindow, Successful, Failed, Skipped", phase);
      }
    }
    return null;
  }

  private static Answer notRunning(KafkaStreams s) {
    return Answer.unavailable("the projector is " + (s == null ? "starting" : s.state())
        + "; its stores answer once it is RUNNING");
  }

  private static String query(String database, String phase, boolean summaries, String after, int limit) {
    StringBuilder q = new StringBuilder(query(database, phase));
    if (summaries) {
      q.append(q.length() == 0 ? '?' : '&').append("summary=true");
    }
    if (after != null) {
      q.append(q.length() == 0 ? '?' : '&').append("after=").append(encode(after));
    }
    if (limit != UNLIMITED) {
      q.append(q.length() == 0 ? '?' : '&').append("limit=").append(limit);
    }
    return q.toString();
  }

  private static String query(String database, String phase) {
    StringBuilder q = new StringBuilder();
    if (database != null) {
      q.append(q.length() == 0 ? '?' : '&').append("database=").append(encode(database));
    }
    if (phase != null) {
      q.append(q.length() == 0 ? '?' : '&').append("phase=").append(encode(phase));
    }
    return q.toString();
  }

  /** The namespace of a {@code namespace/name} key. */
  static String namespaceOf(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static LocalRequestList read(byte[] body) {
    try {
      return JsonCodec.shared().mapper().readValue(body, LocalRequestList.class);
    } catch (IOException e) {
      throw new IllegalStateException("an instance answered a list that cannot be read", e);
    }
  }

  // ---- campaigns -------------------------------------------------------------------------------

  /** The internal path of one campaign's status, from this instance's store only. */
  public static final String INTERNAL_CAMPAIGN = "/internal/v1/campaign-status";

  private static final Pattern CAMPAIGN = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /**
   * The status of one campaign (its latest progress), from whichever instance owns it.
   *
   * @param name the campaign's name
   * @param authorization the caller's header, passed on to a peer
   * @return 200 with the progress, 400 for a malformed name, 404 when unknown, or 503
   */
  public Answer campaign(String name, String authorization) {
    Answer invalid = checkCampaign(name);
    return invalid != null ? invalid : routed(
        io.pxops.statusprojector.projection.CampaignStatusTopology.CAMPAIGN_STORE, name,
        INTERNAL_CAMPAIGN + "/" + encode(name), "campaign", authorization);
  }

  /**
   * The status of one campaign from this instance's store (the target of a forwarded call).
   *
   * @param name the campaign's name
   * @return as {@link #campaign}
   */
  public Answer localCampaign(String name) {
    Answer invalid = checkCampaign(name);
    return invalid != null ? invalid
        : local(io.pxops.statusprojector.projection.CampaignStatusTopology.CAMPAIGN_STORE, name, null, "campaign");
  }

  /** The internal path of the campaigns this instance's store holds. */
  public static final String INTERNAL_CAMPAIGNS = "/internal/v1/campaign-statuses";

  /**
   * Every campaign's latest progress, from every instance that holds a part of the campaign store, by name. A
   * campaign's record is small and campaigns are few (one per fleet change), so the list is whole, not paged.
   *
   * @param authorization the caller's header, passed on to a peer
   * @return 200 with {@code {"items": [progress, ...]}} sorted by name, or 503 while an instance cannot answer
   */
  public Answer campaigns(String authorization) {
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return notRunning(s);
    }
    Map<String, JsonNode> merged = new java.util.TreeMap<>();
    for (StreamsMetadata owner : s.streamsMetadataForStore(
        io.pxops.statusprojector.projection.CampaignStatusTopology.CAMPAIGN_STORE)) {
      Answer part = self.equals(owner.hostInfo()) ? localCampaigns()
          : peers.get(owner.hostInfo(), INTERNAL_CAMPAIGNS, authorization);
      if (part.status() != 200) {
        return part.status() == 503 ? part
            : Answer.unavailable("instance " + owner.hostInfo() + " answered " + part.status());
      }
      try {
        JsonNode body = JsonCodec.shared().mapper().readTree(part.body());
        body.path("items").forEach(item -> merged.putIfAbsent(item.path("campaign").asText(), item));
      } catch (IOException e) {
        return Answer.unavailable("instance " + owner.hostInfo() + " answered no campaign list: " + e.getMessage());
      }
    }
    return Answer.ok(Map.of("items", List.copyOf(merged.values())));
  }

  /**
   * The campaigns of this instance's part of the campaign store (the target of a fan-out).
   *
   * @return 200 with {@code {"items": [...]}}, or 503
   */
  public Answer localCampaigns() {
    KafkaStreams s = streams;
    if (s == null || s.state() != KafkaStreams.State.RUNNING) {
      return notRunning(s);
    }
    List<Object> items = new ArrayList<>();
    try {
      ReadOnlyKeyValueStore<String, Object> view = s.store(StoreQueryParameters.fromNameAndType(
          io.pxops.statusprojector.projection.CampaignStatusTopology.CAMPAIGN_STORE,
          QueryableStoreTypes.<String, Object>keyValueStore()));
      try (KeyValueIterator<String, Object> all = view.all()) {
        all.forEachRemaining(kv -> items.add(kv.value));
      }
    } catch (InvalidStateStoreException e) {
      return Answer.unavailable("the campaign statuses are migrating: " + e.getMessage());
    }
    return Answer.ok(Map.of("items", items));
  }

  private static Answer checkCampaign(String name) {
    return name != null && CAMPAIGN.matcher(name).matches() ? null
        : Answer.badRequest("name", "InvalidName", name);
  }
}
