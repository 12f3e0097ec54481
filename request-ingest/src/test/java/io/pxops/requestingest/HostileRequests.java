package io.pxops.requestingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pxops.events.JsonCodec;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.ClusterView;
import io.pxops.requestingest.admission.UpdateRequest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of hostile update requests for the doors' property tests (and {@code scripts/fuzz.sh}): a valid
 * request with its fields removed, replaced by values of the wrong type, huge, tiny and fractional numbers, odd
 * durations, unicode, NUL bytes, deep nesting, extra and duplicated fields; and raw bytes that are not JSON at all.
 */
final class HostileRequests {

  static final String NS = "demo";
  static final String DATABASE = "demo-px";
  static final String CURRENT = "10.11.18";
  static final String TARGET = "10.11.19";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> FIELDS = List.of("name", "database", "targetVersion", "timeout", "apply",
      "maxRetries", "clientRequestId");

  private HostileRequests() {
  }

  /** A body as an ordered list of fields (duplicates allowed), so it can be written with a namespace or without. */
  record Body(List<Map.Entry<String, JsonNode>> fields) {

    byte[] render(String namespace) {
      StringBuilder b = new StringBuilder("{");
      List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
      if (namespace != null) {
        all.add(Map.entry("namespace", NODES.textNode(namespace)));
      }
      all.addAll(fields);
      for (int i = 0; i < all.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        b.append(NODES.textNode(all.get(i).getKey()).toString()).append(':').append(all.get(i).getValue());
      }
      return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    boolean mentions(String field) {
      return fields.stream().anyMatch(e -> e.getKey().equals(field));
    }
  }

  /** A valid body with 0–4 hostile mutations. */
  static Arbitrary<Body> bodies() {
    return mutation().list().ofMaxSize(4).map(mutations -> {
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(validFields());
      for (Function<List<Map.Entry<String, JsonNode>>, List<Map.Entry<String, JsonNode>>> m : mutations) {
        fields = m.apply(fields);
      }
      return new Body(fields);
    });
  }

  /** Any record value: a hostile body (with its namespace), or bytes that are barely or not at all JSON. */
  static Arbitrary<byte[]> recordValues() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, bodies().map(b -> b.render(NS))),
        net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
        net.jqwik.api.Tuple.of(1, bodies().map(b -> b.render(NS)).flatMap(bytes ->
            Arbitraries.integers().between(0, bytes.length).map(n -> java.util.Arrays.copyOf(bytes, n)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3000).map(depth ->
            ("{\"namespace\":\"demo\",\"database\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                .getBytes(StandardCharsets.UTF_8))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("", "null", "[]", "\"text\"", "42", "{}", "{\"a\":1}{}",
            "\u0000", "{\"namespace\":\"demo\",\"database\":\"demo-px\",\"targetVersion\":\"10.11.19\"} trailing")
            .map(s -> s.getBytes(StandardCharsets.UTF_8))));
  }

  private static List<Map.Entry<String, JsonNode>> validFields() {
    return List.of(Map.entry("database", NODES.textNode(DATABASE)), Map.entry("targetVersion",
        NODES.textNode(TARGET)), Map.entry("timeout", NODES.textNode("5m")));
  }

  private static Arbitrary<Function<List<Map.Entry<String, JsonNode>>, List<Map.Entry<String, JsonNode>>>>
      mutation() {
    Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("namespace", "halt", "",
        "Database", "spec", "\u0000", "targetVersion\u0000"), Arbitraries.strings().ofMaxLength(12));
    return Arbitraries.oneOf(
        // set (or replace) a field to a hostile value
        Combinators.combine(Arbitraries.of(FIELDS), values()).as((f, v) -> fields -> {
          List<Map.Entry<String, JsonNode>> out = new ArrayList<>(fields);
          out.removeIf(e -> e.getKey().equals(f));
          out.add(Map.entry(f, v));
          return out;
        }),
        // remove a field
        Arbitraries.of(FIELDS).map(f -> fields -> {
          List<Map.Entry<String, JsonNode>> out = new ArrayList<>(fields);
          out.removeIf(e -> e.getKey().equals(f));
          return out;
        }),
        // add a field, possibly one already there (a duplicate key) or one the schema does not know
        Combinators.combine(field, values()).as((f, v) -> fields -> {
          List<Map.Entry<String, JsonNode>> out = new ArrayList<>(fields);
          out.add(Map.entry(f, v));
          return out;
        }));
  }

  /** JSON values that break assumptions, plus some that are right, so mutations can also stay valid. */
  static Arbitrary<JsonNode> values() {
    return Arbitraries.oneOf(scalars(), scalars(), scalars(),
        Arbitraries.lazy(() -> scalars().list().ofMaxSize(3).map(HostileRequests::array)),
        Arbitraries.lazy(() -> Combinators.combine(Arbitraries.strings().ofMaxLength(6), scalars()).as((k, v) -> {
          ObjectNode o = NODES.objectNode();
          o.set(k, v);
          return (JsonNode) o;
        })),
        Arbitraries.integers().between(1, 400).map(depth -> nested(depth)));
  }

  static Arbitrary<JsonNode> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.just(NODES.nullNode()),
        Arbitraries.of(true, false).map(NODES::booleanNode),
        Arbitraries.integers().between(-3, 15).map(NODES::numberNode),
        Arbitraries.integers().map(NODES::numberNode),
        Arbitraries.longs().map(NODES::numberNode),
        Arbitraries.doubles().map(NODES::numberNode),
        Arbitraries.of(new BigInteger("99999999999999999999999999999"), BigInteger.valueOf(Long.MIN_VALUE),
            BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE)).map(NODES::numberNode),
        Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-1e-400"), new BigDecimal("0.5"),
            new BigDecimal("2.0"), new BigDecimal("1E+1")).map(NODES::numberNode),
        strings().map(NODES::textNode));
  }

  /** Strings for any field: right ones, near misses, and hostile ones. */
  static Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.of(DATABASE, TARGET, CURRENT, "10.11.50", "10.11.1", "10.11.77", NS, "IfReady", "Always",
            "5m", "1h30m", "1.5h", "90s", "24h", "24h0m0.000000001s", "0.5s", "1e9h", "-5m", "+5m",
            "9999999999999999999s", "99999999999999999999999h", "5", "5M", "5 m", "٣m", "５m", "1h\u0000",
            "", " ", "\u0000", "Demo-PX", "demo_px", "-demo", "demo-", "a..b", ".", "..", "../x", "a/b",
            "demo-px.", "a".repeat(63), "a".repeat(64), "a".repeat(253), "a".repeat(254), "ü", "😀", "\uD800",
            "upd-1", "10.11.19\u0000", "sometimes", "ifready", "NaN"),
        Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(30),
        Arbitraries.strings().withChars("0123456789.nsuµmh-+e٣ ").ofMaxLength(25),
        Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-.").ofMinLength(1).ofMaxLength(70));
  }

  private static JsonNode array(List<JsonNode> items) {
    ArrayNode a = NODES.arrayNode();
    items.forEach(a::add);
    return a;
  }

  private static JsonNode nested(int depth) {
    JsonNode node = NODES.textNode("x");
    for (int i = 0; i < depth; i++) {
      node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("a", node);
    }
    return node;
  }

  /** Random bytes of a size, from a seed (cheap to generate at any size, unlike element-wise arrays). */
  static byte[] randomBytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String json(JsonNode node) {
    try {
      return JsonCodec.shared().mapper().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cluster the requests are judged against: one database on {@link #CURRENT}, a small catalog. */
  static final ClusterView CLUSTER = new ClusterView() {
    private final Map<String, CatalogEntry> catalog = Map.of(
        CURRENT, new CatalogEntry(CURRENT, CURRENT, false, List.of(">= 10.11.18"), List.of("< 10.11.18")),
        TARGET, new CatalogEntry(TARGET, TARGET, false, List.of(">= 10.11.19"), List.of()),
        "10.11.50", new CatalogEntry("10.11.50", "10.11.50", true, List.of(), List.of()),
        "10.11.1", new CatalogEntry("10.11.1", "10.11.1", false, List.of(), List.of()));

    @Override
    public Optional<Database> database(String namespace, String name) {
      return NS.equals(namespace) && DATABASE.equals(name) ? Optional.of(new Database(NS, DATABASE, CURRENT))
          : Optional.empty();
    }

    @Override
    public Optional<CatalogEntry> catalogEntry(String name) {
      return Optional.ofNullable(catalog.get(name));
    }

    @Override
    public List<CatalogEntry> catalog() {
      return List.copyOf(catalog.values());
    }
  };

  /**
   * The submitter's decision on an in-memory cluster: admission, then "created" (recorded), as
   * {@link OpsRequestSubmitter#submit} does against Kubernetes; what it records is what a door changed.
   */
  static final class InMemorySubmitter implements Function<UpdateRequest, OpsRequestSubmitter.Outcome> {

    final List<String> created = new ArrayList<>();

    @Override
    public OpsRequestSubmitter.Outcome apply(UpdateRequest request) {
      String name = request.name() != null ? request.name() : OpsRequestSubmitter.nameFor(request);
      UpdateRequest named = new UpdateRequest(name, request.namespace(), request.type(), request.database(),
          request.targetVersion(), request.timeout(), request.apply(), request.maxRetries(), request.createdAt(),
          request.door(), request.clientRequestId());
      AdmissionResult result = Admission.decide(named, CLUSTER, Duration.ofMinutes(10));
      if (result instanceof AdmissionResult.Rejected rejected) {
        return new OpsRequestSubmitter.Outcome.Refused(rejected);
      }
      if (created.contains(name)) {
        return new OpsRequestSubmitter.Outcome.NameTaken(named.namespace(), name);
      }
      created.add(name);
      return new OpsRequestSubmitter.Outcome.Created(named.namespace(), name, named.database());
    }
  }
}
