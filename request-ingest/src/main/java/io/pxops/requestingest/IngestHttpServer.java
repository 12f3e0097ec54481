package io.pxops.requestingest;

import io.pxops.pipeline.logging.LogContext;
import io.pxops.pipeline.logging.TraceIds;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.pxops.events.CancelRequested;
import io.pxops.events.Envelope;
import io.pxops.events.JsonCodec;
import io.pxops.events.Message;
import io.pxops.events.ReplayRequested;
import io.pxops.events.RequestSpec;
import io.pxops.kubedb.PerconaXtraDBOpsRequest;
import io.pxops.pipeline.claim.OpsRequestClaim;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.doorauth.DoorRefusal;
import io.pxops.pipeline.health.ServiceHealth;
import io.pxops.pipeline.metrics.ServiceMetrics;
import io.pxops.pipeline.steps.ErrorClassifier;
import io.pxops.requestingest.admission.Admission;
import io.pxops.requestingest.admission.AdmissionResult;
import io.pxops.requestingest.admission.UpdateRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP door. Every answer is JSON; every refusal names the field and the rule:
 * <ul>
 *   <li>{@code POST /api/v1/namespaces/{ns}/updaterequests} — body {@code {name?, database, targetVersion,
 *       timeout?, apply?, maxRetries?, clientRequestId?}}, read against the same published schema as the Kafka
 *       door ({@link UpdateRequestReader}) → {@code 202} with the request's name and status URL
 *       ({@code 200} when the same clientRequestId was submitted before); {@code 400} malformed or of the wrong
 *       shape (the field and the rule named), {@code 503} the Kubernetes API unreachable, {@code 404}
 *       unknown database, {@code 409} name taken, {@code 413} body over {@link #MAX_BODY_BYTES}, {@code 422} a
 *       rule forbids it. Nothing is created on a refusal.
 *   <li>{@code POST /api/v1/namespaces/{ns}/updaterequests?dryRun=All} (or {@code dryRun=true}) — what the same
 *       submit would decide, with the same status, rule and field on a refusal, and when admitted {@code 200}
 *       with the steps, the pod order, the window and an estimate ({@link UpdateDryRun}); nothing is created.
 *   <li>{@code GET .../updaterequests/{name}} → the object's phase and a link to its full status.
 *   <li>{@code POST .../updaterequests/{name}/replay} and {@code .../cancel} → {@code 202}.
 *   <li>{@code GET /livez}, {@code GET /readyz} (the service's probes) and {@code GET /healthz} (= {@code /livez}).
 * </ul>
 *
 * <p>Every {@code /api} call needs {@code Authorization: Bearer <token>} of a caller whom Kubernetes RBAC lets do the
 * same on {@code perconaxtradbopsrequests.ops.kubedb.com} in that namespace: {@code create} to submit, {@code get}
 * to read, {@code update} or {@code patch} to replay or cancel ({@link DoorAuthorizer}). Only then does the door
 * act, with its own service account. Refusals: {@code 401 Unauthenticated} (no or invalid token, with
 * {@code WWW-Authenticate}), {@code 403 Forbidden} (naming the verbs, resource and namespace), {@code 503
 * AuthUnavailable} (the API could not be asked). The probes need no token.
 */
public final class IngestHttpServer implements AutoCloseable {

  /** The largest body accepted: a request is a few hundred bytes. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(IngestHttpServer.class);
  private static final ObjectMapper MAPPER = JsonCodec.shared().mapper();
  private static final String BASE = "/api/v1/namespaces/{ns}/updaterequests";
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final Javalin app;

  private IngestHttpServer(Javalin app) {
    this.app = app;
  }

  /**
   * @param statusUrl the status projector's base URL, for links (may be null)
   * @param publish writes replay and cancel requests to the lifecycle log
   */
  public static IngestHttpServer start(String host, int port, KubernetesClient client, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, String statusUrl, Clock clock, DoorAuthorizer auth) {
    return start(host, port, client, submitter, publish, statusUrl, clock, auth, OpsRequestClaim.LABELLED, null);
  }

  /**
   * As above, with the service's probes: {@code /livez}, {@code /readyz}, and {@code /healthz} as an alias of
   * {@code /livez} (null: {@code /healthz} only, always UP, for an embedded server).
   */
  public static IngestHttpServer start(String host, int port, KubernetesClient client, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, String statusUrl, Clock clock, DoorAuthorizer auth, OpsRequestClaim claim,
      ServiceHealth probes) {
    return start(host, port, client, submitter, publish, statusUrl, clock, auth, claim, probes, null);
  }

  /** As above, with the campaigns' door ({@link io.pxops.requestingest.campaign.CampaignRoutes}) when not null. */
  public static IngestHttpServer start(String host, int port, KubernetesClient client, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, String statusUrl, Clock clock, DoorAuthorizer auth, OpsRequestClaim claim,
      ServiceHealth probes, io.pxops.requestingest.campaign.CampaignDoor campaigns) {
    return start(host, port, client, submitter, publish, statusUrl, clock, auth, claim, probes, campaigns,
        io.pxops.requestingest.dryrun.DryRunConfig.none());
  }

  /**
   * As above, with the dry runs' configuration: {@code ?dryRun=All} on a submit ({@link UpdateDryRun}) and on a
   * campaign's create ({@link io.pxops.requestingest.campaign.CampaignDryRun}), their estimates read from
   * {@code dryRuns}' status projector.
   */
  public static IngestHttpServer start(String host, int port, KubernetesClient client, OpsRequestSubmitter submitter,
      Consumer<Envelope> publish, String statusUrl, Clock clock, DoorAuthorizer auth, OpsRequestClaim claim,
      ServiceHealth probes, io.pxops.requestingest.campaign.CampaignDoor campaigns,
      io.pxops.requestingest.dryrun.DryRunConfig dryRuns) {
    var measured = new io.pxops.requestingest.dryrun.MeasuredUpdatesClient(dryRuns.measurementsUrl());
    UpdateDryRun dryRun = new UpdateDryRun(client, submitter.defaultTimeout(), submitter.namespaceWindows(), measured,
        new io.pxops.requestingest.dryrun.DatabaseQueueClient(dryRuns.measurementsUrl()));
    Javalin app = Javalin.create(config -> {
      if (campaigns != null) {
        io.pxops.requestingest.campaign.CampaignRoutes.register(config.routes, campaigns, auth,
            new io.pxops.requestingest.campaign.CampaignDryRun(measured,
                new io.pxops.requestingest.dryrun.LivePreviews(client), submitter.defaultTimeout(), clock));
      }
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = MAX_BODY_BYTES;
      if (probes == null) {
        config.routes.get("/healthz", ctx -> json(ctx, 200, MAPPER.createObjectNode().put("status", "UP")));
      } else {
        config.routes.get("/livez", ctx -> probe(ctx, probes.live()));
        config.routes.get("/healthz", ctx -> probe(ctx, probes.live()));
        config.routes.get("/readyz", ctx -> probe(ctx, probes.readiness()));
        // Prometheus scrapes without a token, like the probes: no request or database name is ever a label
        config.routes.get("/metrics",
            ctx -> ctx.contentType(ServiceMetrics.CONTENT_TYPE).result(ServiceMetrics.scrape()));
      }
      config.routes.post(BASE, ctx -> {
        // a dry run needs what the submit needs (create), as Kubernetes authorizes a dry-run request like the real
        // one: it tells what exists (the database, its version, its pods) as far as the submit would
        if (permitted(ctx, auth, "create") && !dryRun(ctx, dryRun, clock)) {
          try (LogContext.Scope scope = LogContext.of(null, null, callerTrace(ctx))) {
            answerTrace(ctx);
            submit(ctx, submitter, statusUrl, clock);
          }
        }
      });
      config.routes.get(BASE + "/{name}", ctx -> {
        if (permitted(ctx, auth, "get")) {
          describe(ctx, client, statusUrl);
        }
      });
      config.routes.post(BASE + "/{name}/replay", ctx -> {
        if (permitted(ctx, auth, "update", "patch")) {
          ask(ctx, client, publish, clock, claim, true);
        }
      });
      config.routes.post(BASE + "/{name}/cancel", ctx -> {
        if (permitted(ctx, auth, "update", "patch")) {
          ask(ctx, client, publish, clock, claim, false);
        }
      });
      config.routes.exception(HttpResponseException.class, (e, ctx) -> {
        // Javalin's own refusals (e.g. a body over maxRequestSize) answer in JSON too
        boolean tooLarge = e.getStatus() == 413;
        error(ctx, e.getStatus(), tooLarge ? "BodyTooLarge" : "HttpError", tooLarge ? "body" : null,
            tooLarge ? "the body is larger than the " + MAX_BODY_BYTES + " bytes accepted" : e.getMessage());
      });
      config.routes.exception(Exception.class, (e, ctx) -> {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        error(ctx, 500, "Internal", null, String.valueOf(e.getMessage()));
      });
    });
    app.start(host, port);
    LOG.info("ingest API listening on {}:{}", host, app.port());
    return new IngestHttpServer(app);
  }

  public int port() {
    return app.port();
  }

  /**
   * The HTTP door's answer to a submitted body, as a function of the body alone (given a submitter), so that it is
   * tested, and compared with the Kafka door's verdict, without a server.
   *
   * @param status the HTTP status
   * @param rule the refusal's rule, or null when the request was taken
   * @param field the field at fault, or null
   * @param message the refusal's sentence, or null
   * @param outcome the submitter's outcome, or null when it was not submitted
   */
  record SubmitAnswer(int status, String rule, String field, String message, OpsRequestSubmitter.Outcome outcome) {
  }

  /** Reads, checks and submits {@code raw}; throws only what is neither the body's fault nor an outage (a bug). */
  static SubmitAnswer answer(byte[] raw, String ns, Function<UpdateRequest, OpsRequestSubmitter.Outcome> submit,
      Instant now) {
    if (raw.length > MAX_BODY_BYTES) {
      return new SubmitAnswer(413, "BodyTooLarge", "body", "the body is " + raw.length + " bytes; at most "
          + MAX_BODY_BYTES + " are accepted", null);
    }
    UpdateRequestReader.Reading reading = UpdateRequestReader.read(raw, ns, RequestSpec.DOOR_HTTP, now);
    if (reading instanceof UpdateRequestReader.Reading.Refused refused) {
      return new SubmitAnswer(400, refused.rule(), refused.field(), refused.message(), null);
    }
    OpsRequestSubmitter.Outcome outcome;
    try {
      outcome = submit.apply(((UpdateRequestReader.Reading.Read) reading).request());
    } catch (RuntimeException e) {
      if (ErrorClassifier.classify(e) != ErrorClassifier.ErrorClass.RETRIABLE) {
        throw e;
      }
      // the Kubernetes API did not answer: not the request's fault, and worth trying again
      LOG.warn("could not submit a request: {}", e.toString());
      return new SubmitAnswer(503, "Unavailable", null, "the Kubernetes API is not reachable now; try again", null);
    }
    if (outcome instanceof OpsRequestSubmitter.Outcome.Created) {
      return new SubmitAnswer(202, null, null, null, outcome);
    }
    if (outcome instanceof OpsRequestSubmitter.Outcome.AlreadySubmitted) {
      return new SubmitAnswer(200, null, null, null, outcome);
    }
    if (outcome instanceof OpsRequestSubmitter.Outcome.NameTaken t) {
      return new SubmitAnswer(409, "NameTaken", "name", "an ops request named " + t.namespace() + "/" + t.name()
          + " already exists with a different client request id", outcome);
    }
    AdmissionResult.Rejected r = ((OpsRequestSubmitter.Outcome.Refused) outcome).rejection();
    int status = switch (r.kind()) {
      case INVALID -> 400;
      case NOT_FOUND -> 404;
      case FORBIDDEN -> 422;
    };
    return new SubmitAnswer(status, r.rule(), r.field(), r.message(), outcome);
  }

  /**
   * Whether the caller may do one of {@code verbs} in the path's namespace; if not, the refusal is answered. Asked
   * before the body is read or anything looked up, so a caller without the right learns nothing of what exists.
   */
  private static boolean permitted(Context ctx, DoorAuthorizer auth, String... verbs) {
    Optional<DoorRefusal> refusal = auth.check(ctx.header("Authorization"), ctx.pathParam("ns"), verbs);
    if (refusal.isEmpty()) {
      return true;
    }
    DoorRefusal r = refusal.get();
    ObjectNode body = MAPPER.createObjectNode().put("error", r.rule())
        .put("field", r.status() == 401 ? "Authorization" : null).put("message", r.message());
    if (r.status() == 403) {
      body.putPOJO("verbs", r.verbs());
      body.put("resource", r.resource()).put("namespace", r.namespace());
    } else if (r.status() == 401) {
      ctx.header("WWW-Authenticate", DoorAuthorizer.CHALLENGE);
    } else {
      ctx.header("Retry-After", "1");
    }
    json(ctx, r.status(), body);
    return false;
  }

  private static void submit(Context ctx, OpsRequestSubmitter submitter, String statusUrl, Clock clock) {
    SubmitAnswer answer = answer(ctx.bodyAsBytes(), ctx.pathParam("ns"), submitter::submit, clock.instant());
    if (answer.outcome() instanceof OpsRequestSubmitter.Outcome.Created c) {
      json(ctx, answer.status(), accepted(c.namespace(), c.name(), c.database(), statusUrl));
    } else if (answer.outcome() instanceof OpsRequestSubmitter.Outcome.AlreadySubmitted a) {
      json(ctx, answer.status(), accepted(a.namespace(), a.name(), a.database(), statusUrl));
    } else {
      error(ctx, answer.status(), answer.rule(), answer.field(), answer.message());
    }
  }

  /**
   * Answers a {@code ?dryRun} submit, if it is one ({@link UpdateDryRun}): nothing is created, whatever the answer.
   *
   * @return whether the call was a dry run (answered), so the submit must not run
   */
  private static boolean dryRun(Context ctx, UpdateDryRun dryRun, Clock clock) {
    io.pxops.requestingest.dryrun.DryRunParam dry =
        io.pxops.requestingest.dryrun.DryRunParam.of(ctx.queryParam("dryRun"));
    if (dry == io.pxops.requestingest.dryrun.DryRunParam.ABSENT) {
      return false;
    }
    if (dry == io.pxops.requestingest.dryrun.DryRunParam.INVALID) {
      error(ctx, 400, io.pxops.requestingest.dryrun.DryRunParam.RULE, "dryRun",
          io.pxops.requestingest.dryrun.DryRunParam.message(ctx.queryParam("dryRun")));
      return true;
    }
    UpdateDryRun.Answer answer = dryRun.run(ctx.bodyAsBytes(), ctx.pathParam("ns"), clock.instant(),
        ctx.header("Authorization"));
    json(ctx, answer.status(), answer.body());
    return true;
  }

  private static void describe(Context ctx, KubernetesClient client, String statusUrl) {
    PerconaXtraDBOpsRequest o = find(client, ctx.pathParam("ns"), ctx.pathParam("name"));
    if (o == null) {
      error(ctx, 404, "NotFound", "name", "no update request " + ctx.pathParam("ns") + "/" + ctx.pathParam("name"));
      return;
    }
    ObjectNode body = accepted(ctx.pathParam("ns"), ctx.pathParam("name"),
        o.getSpec().getDatabaseRef() == null ? null : o.getSpec().getDatabaseRef().getName(), statusUrl);
    body.put("phase", o.getStatus() == null ? null : o.getStatus().getPhase());
    json(ctx, 200, body);
  }

  private static void ask(Context ctx, KubernetesClient client, Consumer<Envelope> publish, Clock clock,
      OpsRequestClaim claim, boolean replay) {
    String ns = ctx.pathParam("ns");
    String name = ctx.pathParam("name");
    PerconaXtraDBOpsRequest o = find(client, ns, name);
    if (o == null || o.getSpec() == null || o.getSpec().getDatabaseRef() == null) {
      error(ctx, 404, "NotFound", "name", "no update request " + ns + "/" + name);
      return;
    }
    // another operator's request (KubeDB's Ops Manager's, or a type pxops does not run) is not pxops' to replay or
    // cancel: the request would go on pxops' log for an object whose status pxops never writes
    if (!claim.claims(o.getSpec().getType(), o.getMetadata().getLabels(), o.getMetadata().getAnnotations())) {
      error(ctx, 409, "NotClaimed", "metadata.labels", "ops request " + ns + "/" + name + " (type "
          + o.getSpec().getType() + ") is not pxops' to act on: pxops runs UpdateVersion requests only, and with "
          + OpsRequestClaim.ENV + "=" + claim.mode().name().toLowerCase(java.util.Locale.ROOT)
          + " only those labelled " + OpsRequestClaim.KEY + ": " + OpsRequestClaim.VALUE
          + (claim.mode() == OpsRequestClaim.Mode.ALL ? " or unlabelled" : ""));
      return;
    }
    Message m = replay ? new ReplayRequested("http") : new CancelRequested("http");
    // a replay or a cancel continues the request's own trace (the door annotated the object), so one trace follows
    // the request from its submission to its end, replays included; the caller's, or a new one, otherwise
    Map<String, String> annotations = o.getMetadata().getAnnotations();
    String trace = TraceIds.valid(annotations == null ? null : annotations.get(TraceIds.ANNOTATION));
    try (LogContext.Scope scope = LogContext.of(ns + "/" + name, ns + "/" + o.getSpec().getDatabaseRef().getName(),
        trace != null ? trace : callerTrace(ctx))) {
      answerTrace(ctx);
      publish.accept(Envelope.of(UUID.randomUUID().toString(), ns + "/" + name,
          ns + "/" + o.getSpec().getDatabaseRef().getName(), clock.instant(), null, m));
    }
    json(ctx, 202, MAPPER.createObjectNode().put("name", name).put("namespace", ns)
        .put("requested", replay ? "replay" : "cancel"));
  }

  /**
   * Names the call's trace in the answer: {@code pxops-trace-id}, and a W3C {@code traceparent} of it for a caller's
   * tracing system.
   */
  private static void answerTrace(Context ctx) {
    ctx.header(TraceIds.HEADER, LogContext.traceId());
    ctx.header(TraceIds.TRACEPARENT, TraceIds.traceparent(LogContext.traceId()));
  }

  /**
   * The trace a call starts: the caller's ({@code pxops-trace-id}, else a W3C {@code traceparent}), else a new one.
   * The answer names it in its {@code pxops-trace-id} header, so the caller can follow the request's log lines.
   */
  private static String callerTrace(Context ctx) {
    String trace = TraceIds.fromCaller(ctx.header(TraceIds.HEADER), ctx.header(TraceIds.TRACEPARENT));
    return trace != null ? trace : TraceIds.newId();
  }

  /** The object, or null; a path that cannot name an object is "not found", never a request the API fails. */
  private static PerconaXtraDBOpsRequest find(KubernetesClient client, String ns, String name) {
    if (!OBJECT_NAME.matcher(ns).matches() || name.length() > 253 || !OBJECT_NAME.matcher(name).matches()) {
      return null;
    }
    return client.resources(PerconaXtraDBOpsRequest.class).inNamespace(ns).withName(name).get();
  }

  private static ObjectNode accepted(String ns, String name, String database, String statusUrl) {
    ObjectNode body = MAPPER.createObjectNode().put("name", name).put("namespace", ns).put("database", database);
    if (statusUrl != null) {
      body.put("statusUrl", statusUrl + "/api/v1/namespaces/" + ns + "/updaterequests/" + name);
    }
    return body;
  }

  private static void probe(Context ctx, ServiceHealth.Probe probe) {
    ctx.status(probe.ok() ? 200 : 503).contentType("application/json").result(probe.body());
  }

  private static void json(Context ctx, int status, ObjectNode body) {
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  private static void error(Context ctx, int status, String rule, String field, String message) {
    ObjectNode body = MAPPER.createObjectNode().put("error", rule).put("field", field).put("message", message);
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  @Override
  public void close() {
    app.stop();
  }
}
