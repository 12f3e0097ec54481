package io.pxops.statusprojector.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.pxops.events.JsonCodec;
import io.pxops.pipeline.doorauth.AccessReviewUnavailableException;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.doorauth.DoorRefusal;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.pipeline.health.ServiceHealth;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The projector's HTTP API. Every body is JSON written by the one shared mapper.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><td>{@code GET /api/v1/namespaces/{ns}/updaterequests/{name}}</td>
 *       <td>one request status; 404 when unknown</td></tr>
 *   <tr><td>{@code GET /api/v1/updaterequests?database=ns/name&phase=Failed&limit=500&continue=...}</td>
 *       <td>{@code {"items":[...]}} of every instance by ops request, both filters optional, paged as a Kubernetes
 *       list: at most {@code limit} (default {@value StatusQueries#DEFAULT_LIMIT}, at most
 *       {@value StatusQueries#MAX_LIMIT}) items, and {@code "metadata":{"continue":"..."}} to pass back for the next
 *       page while more remain ({@link StatusQueries#page})</td></tr>
 *   <tr><td>{@code GET /api/v1/namespaces/{ns}/databases/{name}}</td>
 *       <td>one database status; 404 when unknown</td></tr>
 *   <tr><td>{@code GET /api/v1/campaigns}</td>
 *       <td>every campaign's progress, by name (the dashboard's campaigns panel); any authenticated caller</td></tr>
 *   <tr><td>{@code GET /api/v1/campaigns/{name}}</td>
 *       <td>one campaign's progress (phase, per stage done/running/failed/waiting, budget); 404 when unknown.
 *       Campaigns span namespaces: any authenticated caller may read their counts (they name no database)</td></tr>
 *   <tr><td>{@code GET /livez}, {@code GET /readyz}</td>
 *       <td>the service's probes (see {@code ServiceHealth}): 200 or 503 with the reason</td></tr>
 *   <tr><td>{@code GET /healthz}</td>
 *       <td>in a service process, {@code /livez}; embedded: 200 while Streams is alive (starting,
 *       rebalancing, running), 503 otherwise; {@code ready} says whether queries can be answered</td></tr>
 *   <tr><td>{@code GET /internal/v1/...}</td>
 *       <td>the same, from this instance's stores only: the targets of forwarded calls</td></tr>
 * </table>
 *
 * <p>A 503 carries {@code Retry-After}: the data exists, but its owner is moving or not reachable.
 *
 * <p>Every {@code /api} and {@code /internal} call needs {@code Authorization: Bearer <token>} of a caller whom
 * Kubernetes RBAC lets {@code get} (one request or database) or {@code list} (lists)
 * {@code perconaxtradbopsrequests.ops.kubedb.com} in the namespace ({@link DoorAuthorizer}); a list shows only the
 * namespaces where the caller may list: one SubjectAccessReview for every namespace at once, and if that is refused
 * one per namespace in the result, each asked once per call. A forwarded call carries the caller's header, and the
 * peer checks it again (from its cache). Refusals: 401 {@code Unauthenticated}, 403 {@code Forbidden}, 503
 * {@code AuthUnavailable}. The probes need no token.
 */
public final class StatusHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StatusHttpServer.class);

  static final String ANSWERED = "pxops.answered";
  private static final String AUTHORIZATION = "Authorization";

  private final Javalin app;

  private StatusHttpServer(Javalin app) {
    this.app = app;
  }

  /**
   * Starts the server.
   *
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param queries the queries it answers
   * @return the running server
   */
  public static StatusHttpServer start(String host, int port, StatusQueries queries, DoorAuthorizer auth) {
    return start(host, port, queries, auth, null);
  }

  /**
   * Starts the server with the service's probes: {@code /livez} and {@code /readyz} from {@code probes}, and
   * {@code /healthz} as an alias of {@code /livez}.
   *
   * @param probes the service's health registry; null keeps the Streams-only {@code /healthz} of an embedded
   *     instance
   */
  public static StatusHttpServer start(String host, int port, StatusQueries queries, DoorAuthorizer auth,
      ServiceHealth probes) {
    return start(host, port, queries, auth, probes, null);
  }

  /**
   * As above, with the live web dashboard ({@link DashboardRoutes}) when {@code dashboard} is not null.
   */
  public static StatusHttpServer start(String host, int port, StatusQueries queries, DoorAuthorizer auth,
      ServiceHealth probes, DashboardRoutes dashboard) {
    Javalin app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      if (probes == null) {
        config.routes.get("/healthz", ctx -> health(ctx, queries.state()));
      } else {
        config.routes.get("/livez", ctx -> probe(ctx, probes.live()));
        config.routes.get("/healthz", ctx -> probe(ctx, probes.live()));
        config.routes.get("/readyz", ctx -> probe(ctx, probes.readiness()));
        // Prometheus scrapes without a token, like the probes: no request or database name is ever a label
        config.routes.get("/metrics",
            ctx -> ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(ServiceMetrics.scrape()));
      }
      if (dashboard != null) {
        dashboard.register(config.routes);
      }
      config.routes.get("/api/v1/namespaces/{ns}/updaterequests/{name}", ctx -> {
        if (mayGet(ctx, auth)) {
          send(ctx, queries.request(ctx.pathParam("ns"), ctx.pathParam("name"), ctx.header(AUTHORIZATION)));
        }
      });
      config.routes.get("/api/v1/updaterequests", ctx -> listed(ctx, auth, visible ->
          queries.page(ctx.queryParam("database"), ctx.queryParam("phase"), ctx.queryParam("limit"),
              ctx.queryParam("continue"), ctx.header(AUTHORIZATION), visible)));
      config.routes.get("/api/v1/namespaces/{ns}/databases/{name}", ctx -> {
        if (mayGet(ctx, auth)) {
          send(ctx, queries.database(ctx.pathParam("ns"), ctx.pathParam("name"), ctx.header(AUTHORIZATION)));
        }
      });
      config.routes.get("/api/v1/campaigns", ctx -> {
        if (authenticated(ctx, auth)) {
          send(ctx, queries.campaigns(ctx.header(AUTHORIZATION)));
        }
      });
      config.routes.get(StatusQueries.INTERNAL_CAMPAIGNS, ctx -> {
        if (authenticated(ctx, auth)) {
          send(ctx, queries.localCampaigns());
        }
      });
      config.routes.get("/api/v1/campaigns/{name}", ctx -> {
        if (authenticated(ctx, auth)) {
          send(ctx, queries.campaign(ctx.pathParam("name"), ctx.header(AUTHORIZATION)));
        }
      });
      config.routes.get(StatusQueries.INTERNAL_CAMPAIGN + "/{name}", ctx -> {
        if (authenticated(ctx, auth)) {
          send(ctx, queries.localCampaign(ctx.pathParam("name")));
        }
      });
      config.routes.get(StatusQueries.INTERNAL_REQUEST + "/{ns}/{name}", ctx -> {
        if (mayGet(ctx, auth)) {
          send(ctx, queries.localRequest(ctx.pathParam("ns"), ctx.pathParam("name")));
        }
      });
      config.routes.get(StatusQueries.INTERNAL_REQUEST, ctx -> listed(ctx, auth, visible ->
          queries.localList(ctx.queryParam("database"), ctx.queryParam("phase"), visible,
              "true".equals(ctx.queryParam("summary")), ctx.queryParam("after"), ctx.queryParam("limit"))));
      config.routes.get(StatusQueries.INTERNAL_DATABASE + "/{ns}/{name}", ctx -> {
        if (mayGet(ctx, auth)) {
          send(ctx, queries.localDatabase(ctx.pathParam("ns"), ctx.pathParam("name")));
        }
      });
      config.routes.error(404, ctx -> {
        // error handlers also run after an endpoint answered 404 itself; keep that answer
        if (ctx.attribute(ANSWERED) == null) {
          send(ctx, Answer.notFound("no endpoint " + ctx.method() + " " + ctx.path()));
        }
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
        body.put("error", "Internal");
        body.put("message", String.valueOf(e.getMessage()));
        ctx.status(500).contentType("application/json").result(body.toString());
      });
    });
    app.start(host, port);
    LOG.info("status API listening on {}:{}", host, app.port());
    return new StatusHttpServer(app);
  }

  /**
   * The port the server listens on.
   *
   * @return the bound port
   */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }

  /** Whether the caller may get in the path's namespace; if not, the refusal is answered. */
  static boolean mayGet(Context ctx, DoorAuthorizer auth) {
    Optional<DoorRefusal> refusal = auth.check(ctx.header(AUTHORIZATION), ctx.pathParam("ns"), "get");
    refusal.ifPresent(r -> refuse(ctx, r));
    return refusal.isEmpty();
  }

  /** Whether the caller is known (for what names no namespace); if not, the refusal is answered. */
  static boolean authenticated(Context ctx, DoorAuthorizer auth) {
    DoorAuthorizer.Authentication who = auth.authenticate(ctx.header(AUTHORIZATION));
    if (who instanceof DoorAuthorizer.Authentication.Refused r) {
      refuse(ctx, r.refusal());
      return false;
    }
    return true;
  }

  /** Answers a list with only the namespaces where the caller may list. */
  static void listed(Context ctx, DoorAuthorizer auth, Function<Predicate<String>, Answer> list) {
    DoorAuthorizer.Authentication who = auth.authenticate(ctx.header(AUTHORIZATION));
    if (who instanceof DoorAuthorizer.Authentication.Refused r) {
      refuse(ctx, r.refusal());
      return;
    }
    try {
      DoorAuthorizer.NamespaceFilter filter =
          auth.listFilter(((DoorAuthorizer.Authentication.Authenticated) who).caller());
      send(ctx, list.apply(filter::test));
    } catch (AccessReviewUnavailableException e) {
      send(ctx, Answer.refused(new DoorRefusal(503, "AuthUnavailable", "cannot check the caller's permissions now: "
          + e.getMessage() + "; try again", List.of(), null, null)));
    }
  }

  static void refuse(Context ctx, DoorRefusal refusal) {
    if (refusal.status() == 401) {
      ctx.header("WWW-Authenticate", DoorAuthorizer.CHALLENGE);
    }
    send(ctx, Answer.refused(refusal));
  }

  static void send(Context ctx, Answer answer) {
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(answer.status()).contentType("application/json").result(answer.body());
    if (answer.retryAfterSeconds() > 0) {
      ctx.header("Retry-After", String.valueOf(answer.retryAfterSeconds()));
    }
  }

  private static void probe(Context ctx, ServiceHealth.Probe probe) {
    ctx.attribute(ANSWERED, Boolean.TRUE);
    ctx.status(probe.ok() ? 200 : 503).contentType("application/json").result(probe.body());
  }

  private static void health(Context ctx, KafkaStreams.State state) {
    boolean alive = state == null
        || state == KafkaStreams.State.CREATED
        || state == KafkaStreams.State.REBALANCING
        || state == KafkaStreams.State.RUNNING;
    ObjectNode body = JsonCodec.shared().mapper().createObjectNode();
    body.put("status", alive ? "UP" : "DOWN");
    body.put("streams", state == null ? "STARTING" : state.name());
    body.put("ready", state == KafkaStreams.State.RUNNING);
    ctx.status(alive ? 200 : 503).contentType("application/json").result(body.toString());
  }
}
