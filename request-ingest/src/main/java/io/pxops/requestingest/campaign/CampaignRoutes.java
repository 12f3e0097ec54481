package io.pxops.requestingest.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.pxops.events.JsonCodec;
import io.pxops.pipeline.doorauth.DoorAuthorizer;
import io.pxops.pipeline.doorauth.DoorRefusal;
import io.pxops.requestingest.dryrun.DryRunParam;
import java.io.IOException;
import java.util.Optional;

/**
 * The campaigns' HTTP door, on the ingest's server:
 *
 * <ul>
 *   <li>{@code POST /api/v1/campaigns} — body: the campaign spec (as in {@code
 *       docs/examples/campaign.yaml}, in JSON) → {@code 202} with the plan (stages and their
 *       databases, those admission would refuse, the failure budget); {@code 400} a spec breaking a
 *       rule, naming every field and rule ({@code violations}); {@code 422 NoMembers}; {@code 403};
 *       {@code 503}.
 *   <li>{@code POST /api/v1/campaigns?dryRun=All} (or {@code dryRun=true}; {@code &detail=true} for each
 *       database's steps and pod order) — the same checks, refused alike, and {@code 200} with the plan and an
 *       estimate ({@link CampaignDryRun}) instead of creating: nothing is written.
 *   <li>{@code POST /api/v1/campaigns/{name}/approve} — body {@code {"stage": "<name>"}};
 *       {@code .../pause}, {@code .../resume}, {@code .../cancel} → {@code 202}.
 * </ul>
 *
 * <p>Progress is read from the status projector: {@code GET /api/v1/campaigns/{name}}. Nothing is
 * written on a refusal. Who may: see {@link CampaignDoor}.
 */
public final class CampaignRoutes {

  private static final String AUTHORIZATION = "Authorization";

  private CampaignRoutes() {}

  /**
   * Registers the routes.
   *
   * @param routes the server's routes
   * @param door the door
   * @param auth who may
   */
  public static void register(RoutesConfig routes, CampaignDoor door, DoorAuthorizer auth) {
    register(routes, door, auth, null);
  }

  /**
   * Registers the routes, with the create's dry run ({@code ?dryRun=All} or {@code ?dryRun=true}: 200 with the
   * plan, nothing written; {@code ?detail=true} adds each database's steps and pod order). A dry run needs what the
   * create needs ({@code create} in every namespace the plan touches), as Kubernetes authorizes a dry-run request
   * like the real one: it shows the same databases, versions and refusals, so it tells no one more than creating
   * would.
   *
   * @param routes the server's routes
   * @param door the door
   * @param auth who may
   * @param dryRun the dry run's answer, or null: a dry run is then refused (501), never taken as a create
   */
  public static void register(RoutesConfig routes, CampaignDoor door, DoorAuthorizer auth, CampaignDryRun dryRun) {
    routes.post("/api/v1/campaigns", ctx -> {
      DryRunParam dry = DryRunParam.of(ctx.queryParam("dryRun"));
      if (dry == DryRunParam.INVALID) {
        ctx.status(400).contentType("application/json").result(JsonCodec.shared().mapper().createObjectNode()
            .put("error", DryRunParam.RULE).put("field", "dryRun")
            .put("message", DryRunParam.message(ctx.queryParam("dryRun"))).toString());
        return;
      }
      DoorAuthorizer.Authentication who = auth.authenticate(ctx.header(AUTHORIZATION));
      if (who instanceof DoorAuthorizer.Authentication.Refused r) {
        answer(ctx, CampaignDoor.refused(r.refusal()));
        return;
      }
      io.pxops.pipeline.doorauth.Caller caller = ((DoorAuthorizer.Authentication.Authenticated) who).caller();
      java.util.function.Function<java.util.Set<String>, Optional<DoorRefusal>> mayCreateIn = namespaces -> {
        for (String ns : namespaces) {
          Optional<DoorRefusal> no = auth.authorize(caller, ns, "create");
          if (no.isPresent()) {
            return no;
          }
        }
        return Optional.empty();
      };
      if (dry == DryRunParam.DRY_RUN) {
        if (dryRun == null) {
          ctx.status(501).contentType("application/json").result(JsonCodec.shared().mapper().createObjectNode()
              .put("error", "DryRunUnavailable").put("field", "dryRun")
              .put("message", "this server plans no dry runs; nothing was created").toString());
          return;
        }
        boolean detail = "true".equals(ctx.queryParam("detail"));
        String authorization = ctx.header(AUTHORIZATION);
        answer(ctx, door.dryRun(body(ctx), mayCreateIn, plan -> dryRun.answer(plan, detail, authorization)));
        return;
      }
      answer(ctx, door.create(body(ctx), null, caller.user(), mayCreateIn));
    });
    routes.post("/api/v1/campaigns/{name}/{action}", ctx -> {
      DoorAuthorizer.Authentication who = auth.authenticate(ctx.header(AUTHORIZATION));
      if (who instanceof DoorAuthorizer.Authentication.Refused r) {
        answer(ctx, CampaignDoor.refused(r.refusal()));
        return;
      }
      io.pxops.pipeline.doorauth.Caller caller = ((DoorAuthorizer.Authentication.Authenticated) who).caller();
      // every namespace: the door keeps no campaigns, so it cannot ask about one campaign's namespaces alone
      Optional<DoorRefusal> no = auth.authorize(caller, "", "update", "patch");
      if (no.isPresent()) {
        answer(ctx, CampaignDoor.refused(no.get()));
        return;
      }
      answer(ctx, door.control(ctx.pathParam("name"), ctx.pathParam("action"), body(ctx), caller.user()));
    });
  }

  private static JsonNode body(Context ctx) {
    byte[] raw = ctx.bodyAsBytes();
    if (raw.length == 0) {
      return null;
    }
    try {
      return JsonCodec.shared().mapper().readTree(raw);
    } catch (IOException e) {
      return null;
    }
  }

  private static void answer(Context ctx, CampaignDoor.Answer answer) {
    if (answer.status() == 401) {
      ctx.header("WWW-Authenticate", DoorAuthorizer.CHALLENGE);
    } else if (answer.status() == 503) {
      ctx.header("Retry-After", "1");
    }
    ctx.status(answer.status()).contentType("application/json").result(answer.body().toString());
  }
}
