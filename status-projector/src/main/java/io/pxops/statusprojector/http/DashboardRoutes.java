package io.pxops.statusprojector.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.pipeline.LifecycleLogReader;
import io.pxops.pipeline.doorauth.AccessReviewUnavailableException;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.doorauth.DoorRefusal;
import io.pxops.pipeline.kafka.KafkaClientSettings;
import io.pxops.statusprojector.DashboardConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live web dashboard, served by the projector: the page itself (plain HTML, CSS and JavaScript from the jar,
 * nothing from a CDN), its paged JSON endpoints, the SSE stream of status changes, and Replay/Cancel forwarded to the
 * ingest's door.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /dashboard/}</td><td>the page (no token: it holds no data; every call it makes carries
 *       the user's token)</td></tr>
 *   <tr><td>{@code GET /api/v1/dashboard/fleet?namespace=&phase=&version=&page=&size=}</td>
 *       <td>one page of databases ({@link DashboardPages.Sorted#fleet}, cut from the shared
 *       {@link DashboardSnapshots snapshot})</td></tr>
 *   <tr><td>{@code GET /api/v1/dashboard/requests?namespace=&phase=&version=&page=&size=}</td>
 *       <td>one page of requests, newest change first ({@link DashboardPages.Sorted#requests})</td></tr>
 *   <tr><td>{@code GET /api/v1/dashboard/namespaces/{ns}/updaterequests/{name}/history}</td>
 *       <td>the request's commands and events from the lifecycle topic, oldest first</td></tr>
 *   <tr><td>{@code GET /api/v1/dashboard/stream}</td>
 *       <td>SSE: {@code status} events, one per request status that changes on {@code pxops.status}</td></tr>
 *   <tr><td>{@code POST /api/v1/namespaces/{ns}/updaterequests/{name}/replay}, {@code .../cancel}</td>
 *       <td>forwarded to the ingest ({@link DashboardConfig#ingestUrl()}) with the caller's
 *       {@code Authorization} header; the ingest's answer, refusals included, is passed back unchanged</td></tr>
 * </table>
 *
 * <p>Authorization is the API's: lists and the stream show only the namespaces where the caller may {@code list},
 * the history needs {@code get}, Replay and Cancel are decided by the ingest's door itself. The page is the same
 * origin as the API, so the browser needs no CORS and the token never leaves it but in the header.
 */
public final class DashboardRoutes implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DashboardRoutes.class);
  private static final String AUTHORIZATION = "Authorization";

  /**
   * A stream is closed after this long and the page opens a new one: its namespace filter was decided at connect
   * time, so a revoked RoleBinding would otherwise keep feeding the browser for as long as the tab stays open.
   */
  static final Duration STREAM_MAX_AGE = Duration.ofMinutes(5);

  /** A comment this often keeps proxies from closing an idle stream and finds dead connections. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private static final Map<String, String> ASSETS = Map.of(
      "index.html", "text/html; charset=utf-8",
      "app.js", "text/javascript; charset=utf-8",
      "app.css", "text/css; charset=utf-8");

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  private final StatusQueries queries;
  private final DoorAuthorizer auth;
  private final DashboardConfig config;
  private final KafkaClientSettings kafka;
  private final StatusFeed feed;
  private final DashboardSnapshots snapshots;
  private final Runnable stopInvalidating;
  private final HttpClient ingest = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dashboard-stream-timers");
    t.setDaemon(true);
    return t;
  });

  /**
   * The dashboard of one projector instance.
   *
   * @param queries the status queries the API answers from
   * @param auth who may see and do what
   * @param config where the ingest's door is
   * @param kafka the brokers, for the history and the status feed
   * @param feed the status changes to stream
   */
  public DashboardRoutes(StatusQueries queries, DoorAuthorizer auth, DashboardConfig config,
      KafkaClientSettings kafka, StatusFeed feed) {
    this.queries = queries;
    this.auth = auth;
    this.config = config;
    this.kafka = kafka;
    this.feed = feed;
    this.snapshots = new DashboardSnapshots(queries);
    // every committed status change, on any instance, is folded into the next page's list
    this.stopInvalidating = feed.subscribe(snapshots::changed);
  }

  /** Adds the dashboard's routes. */
  void register(RoutesConfig routes) {
    // Javalin ignores trailing slashes: "/dashboard" and "/dashboard/" are one route (a redirect between them loops)
    routes.get("/", ctx -> ctx.redirect("/dashboard/"));
    routes.get("/dashboard", ctx -> asset(ctx, "index.html"));
    routes.get("/dashboard/{file}", ctx -> asset(ctx, ctx.pathParam("file")));
    routes.get("/api/v1/dashboard/fleet", ctx -> paged(ctx, true));
    routes.get("/api/v1/dashboard/requests", ctx -> paged(ctx, false));
    routes.get("/api/v1/dashboard/namespaces/{ns}/updaterequests/{name}/history", this::history);
    routes.get("/api/v1/dashboard/stream", this::stream);
    routes.post("/api/v1/namespaces/{ns}/updaterequests/{name}/replay", ctx -> forward(ctx, "replay"));
    routes.post("/api/v1/namespaces/{ns}/updaterequests/{name}/cancel", ctx -> forward(ctx, "cancel"));
  }

  private static void asset(Context ctx, String file) throws IOException {
    String type = ASSETS.get(file);
    if (type == null) {
      StatusHttpServer.send(ctx, Answer.notFound("no dashboard file " + file));
      return;
    }
    try (InputStream in = DashboardRoutes.class.getResourceAsStream("/dashboard/" + file)) {
      if (in == null) {
        StatusHttpServer.send(ctx, Answer.notFound("no dashboard file " + file));
        return;
      }
      ctx.attribute(StatusHttpServer.ANSWERED, Boolean.TRUE);
      ctx.contentType(type).header("Cache-Control", "no-cache").result(in.readAllBytes());
    }
  }

  private void paged(Context ctx, boolean fleet) {
    DashboardPages.Query q;
    try {
      q = new DashboardPages.Query(ctx.queryParam("namespace"), ctx.queryParam("phase"), ctx.queryParam("version"),
          integer(ctx, "page", 0), integer(ctx, "size", DashboardPages.DEFAULT_PAGE_SIZE));
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("page") ? "page" : "size";
      String rule = e.getMessage().substring(field.length() + 1).replaceFirst(" but was .*$", "");
      StatusHttpServer.send(ctx, Answer.badRequest(field, rule, ctx.queryParam(field)));
      return;
    }
    if (q.namespace() != null && !NAMESPACE.matcher(q.namespace()).matches()) {
      StatusHttpServer.send(ctx, Answer.badRequest("namespace", "must be a Kubernetes namespace name",
          q.namespace()));
      return;
    }
    StatusHttpServer.listed(ctx, auth, visible -> {
      // a fleet row's phase is its newest request's, so rows are made from every request before any filter
      DashboardSnapshots.Snapshot snapshot = snapshots.get(ctx.header(AUTHORIZATION));
      if (snapshot.refusal() != null) {
        return snapshot.refusal();
      }
      return Answer.ok(fleet ? snapshot.sorted().fleet(q, visible) : snapshot.sorted().requests(q, visible));
    });
  }

  private void history(Context ctx) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    if (!NAMESPACE.matcher(ns).matches() || !NAME.matcher(name).matches()) {
      StatusHttpServer.send(ctx, Answer.badRequest("name", "must be a Kubernetes namespace and object name",
          ns + "/" + name));
      return;
    }
    if (!StatusHttpServer.mayGet(ctx, auth)) {
      return;
    }
    List<Envelope> log = LifecycleLogReader.read(kafka, ns + "/" + name);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{\"items\":[".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < log.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.writeBytes(JsonCodec.shared().encode(log.get(i)));
    }
    out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
    StatusHttpServer.send(ctx, new Answer(200, out.toByteArray(), 0));
  }

  private void stream(Context ctx) throws Exception {
    DoorAuthorizer.Authentication who = auth.authenticate(ctx.header(AUTHORIZATION));
    if (who instanceof DoorAuthorizer.Authentication.Refused r) {
      StatusHttpServer.refuse(ctx, r.refusal());
      return;
    }
    DoorAuthorizer.NamespaceFilter filter;
    try {
      filter = auth.listFilter(((DoorAuthorizer.Authentication.Authenticated) who).caller());
    } catch (AccessReviewUnavailableException e) {
      StatusHttpServer.send(ctx, Answer.refused(new DoorRefusal(503, "AuthUnavailable",
          "cannot check the caller's permissions now: " + e.getMessage() + "; try again", List.of(), null, null)));
      return;
    }
    ctx.attribute(StatusHttpServer.ANSWERED, Boolean.TRUE);
    new SseHandler(client -> follow(client, filter)).handle(ctx);
  }

  private void follow(SseClient client, DoorAuthorizer.NamespaceFilter filter) {
    client.keepAlive();
    Runnable unsubscribe = feed.subscribe(status -> {
      boolean shown;
      try {
        shown = filter.test(status.namespace());
      } catch (AccessReviewUnavailableException e) {
        shown = false; // cannot ask now: never shown without an answer
      }
      if (shown) {
        send(client, "status", JsonCodec.shared().mapper().valueToTree(status).toString());
      }
    });
    ScheduledFuture<?> heartbeat = timers.scheduleAtFixedRate(() -> {
      synchronized (client) {
        if (!client.terminated()) {
          client.sendComment("heartbeat");
        }
      }
    }, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    ScheduledFuture<?> expiry = timers.schedule(client::close, STREAM_MAX_AGE.toMillis(), TimeUnit.MILLISECONDS);
    client.onClose(() -> {
      unsubscribe.run();
      heartbeat.cancel(false);
      expiry.cancel(false);
    });
    // tells the page the stream is live, so it loads its data after it (no change falls in between)
    send(client, "ready", "{}");
  }

  private static void send(SseClient client, String event, String data) {
    synchronized (client) {
      if (!client.terminated()) {
        client.sendEvent(event, data);
      }
    }
  }

  private void forward(Context ctx, String action) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    URI target = URI.create(config.ingestUrl() + "/api/v1/namespaces/" + enc(ns) + "/updaterequests/" + enc(name)
        + "/" + action);
    HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.noBody());
    String authorization = ctx.header(AUTHORIZATION);
    if (authorization != null) {
      request.header(AUTHORIZATION, authorization);
    }
    try {
      HttpResponse<byte[]> answer = ingest.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      ctx.attribute(StatusHttpServer.ANSWERED, Boolean.TRUE);
      answer.headers().firstValue("WWW-Authenticate").ifPresent(v -> ctx.header("WWW-Authenticate", v));
      ctx.status(answer.statusCode()).contentType("application/json").result(answer.body());
    } catch (IOException e) {
      StatusHttpServer.send(ctx, Answer.unavailable("the ingest at " + config.ingestUrl()
          + " (" + DashboardConfig.INGEST_URL + ") cannot be reached: " + e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      StatusHttpServer.send(ctx, Answer.unavailable("interrupted while asking the ingest"));
    }
  }

  private static int integer(Context ctx, String param, int fallback) {
    String v = ctx.queryParam(param);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(param + " must be an integer");
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Stops the streams' timers; the feed is closed by its owner. */
  @Override
  public void close() {
    stopInvalidating.run();
    timers.shutdownNow();
  }
}
