package io.pxops.sandbox.kube;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who asked the local API for what: every request made with a token this log issued ({@link #issueToken}), as
 * {@link ApiRequest} attributes, each distinct request once.
 *
 * <p>Why: a real API server maps a bearer token to a service account and authorizes every request against that
 * account's RBAC rules; the local API authorizes nothing. Giving each service its own token and recording what it
 * asked for lets a test prove the RBAC rules shipped in {@code deploy/} allow exactly what the services do
 * (nothing they do is refused on a real cluster, and no rule grants what nobody uses). Requests with any other
 * token (the local world's own controllers, kubectl in tests) are not recorded: they are not pxops services.
 *
 * <p>Distinct requests only: the services repeat the same few requests thousands of times, and the set of distinct
 * ones (names included) stays small in a test. A fleet benchmark's thousands of databases would grow it with every
 * name, so it keeps at most {@value #MAX_DISTINCT} (a few MiB) and then only counts what it drops.
 */
public final class ApiRequestLog {

  /** The most distinct requests kept. */
  public static final int MAX_DISTINCT = 20_000;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ApiRequestLog.class.getName());

  private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();

  private final Map<String, String> usersByToken = new ConcurrentHashMap<>();
  private final Set<ApiRequest> requests = ConcurrentHashMap.newKeySet();

  /** A new bearer token for {@code user}; requests made with it are recorded under that user. */
  public String issueToken(String user) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String token = "pxops-local-" + HexFormat.of().formatHex(bytes);
    usersByToken.put(token, user);
    return token;
  }

  /**
   * Records a request if its {@code Authorization} header carries a token of this log.
   *
   * @param method the HTTP method
   * @param pathAndQuery the path with its query
   * @param authorization the {@code Authorization} header, or null
   */
  public void record(String method, String pathAndQuery, String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return;
    }
    String user = usersByToken.get(authorization.substring(7).trim());
    if (user != null && method != null && pathAndQuery != null) {
      ApiRequest request = ApiRequest.of(user, method, pathAndQuery);
      if (requests.size() < MAX_DISTINCT) {
        requests.add(request);
      } else if (!requests.contains(request) && dropped.getAndIncrement() == 0) {
        LOG.warning("the API request log keeps " + MAX_DISTINCT + " distinct requests; it drops the ones after");
      }
    }
  }

  /** How many distinct requests were not kept because the log was full (0 in any test). */
  public long dropped() {
    return dropped.get();
  }

  /** The distinct requests recorded so far, sorted. */
  public List<ApiRequest> requests() {
    return requests.stream().sorted(Comparator.comparing(ApiRequest::toLine)).toList();
  }

  /**
   * Appends the recorded requests to {@code file} (one {@link ApiRequest#toLine()} each), under a file lock, so
   * that several worlds (and test JVMs) may add to one file.
   */
  public void appendTo(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (dropped() > 0) {
      throw new IOException("the API request log is incomplete (" + dropped() + " requests dropped past "
          + MAX_DISTINCT + "): it cannot prove anything about permissions");
    }
    StringBuilder text = new StringBuilder();
    for (ApiRequest r : requests()) {
      text.append(r.toLine()).append('\n');
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND); FileLock lock = channel.lock()) {
      channel.write(StandardCharsets.UTF_8.encode(text.toString()));
    }
  }

  /** The requests in a file written by {@link #appendTo}. */
  public static List<ApiRequest> read(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank())
        .map(ApiRequest::fromLine).distinct().toList();
  }
}
