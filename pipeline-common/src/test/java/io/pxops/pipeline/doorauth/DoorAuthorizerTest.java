package io.pxops.pipeline.doorauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The doors' decision logic, against a table of tokens and grants standing in for the Kubernetes API. */
class DoorAuthorizerTest {

  private static final Caller ALICE = new Caller("alice", "u-1", List.of("devs"), Map.of());

  /** Tokens and grants as the API would answer them, and every question asked of it. */
  private static final class Table implements AccessReviewClient {
    final Map<String, Caller> tokens = new HashMap<>();
    final Set<String> grants = new HashSet<>();
    final List<String> asked = new ArrayList<>();
    boolean down;

    @Override
    public TokenVerdict reviewToken(String token) {
      asked.add("token");
      if (down) {
        throw new AccessReviewUnavailableException("connection refused", null);
      }
      Caller c = tokens.get(token);
      return c == null ? new TokenVerdict.Invalid("token not found") : new TokenVerdict.Valid(c);
    }

    @Override
    public boolean allowed(Caller caller, String verb, String group, String resource, String namespace) {
      asked.add(verb + "@" + namespace);
      if (down) {
        throw new AccessReviewUnavailableException("connection refused", null);
      }
      assertThat(group).isEqualTo("ops.kubedb.com");
      assertThat(resource).isEqualTo("perconaxtradbopsrequests");
      return grants.contains(caller.user() + " " + verb + " " + namespace);
    }
  }

  private static final class ManualTicker implements Ticker {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long read() {
      return nanos.get();
    }
  }

  private final Table api = new Table();
  private final ManualTicker ticker = new ManualTicker();
  private final DoorAuthorizer auth = DoorAuthorizer.reviewing(api, new DoorAuthConfig(true, Duration.ofSeconds(10),
      100), ticker);

  {
    api.tokens.put("alice-token", ALICE);
  }

  @Test
  void noHeaderAWrongSchemeAnEmptyAndAnUnknownTokenAreEach401SayingWhich() {
    assertThat(refusal(auth.check(null, "shop", "create"))).satisfies(r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.rule()).isEqualTo("Unauthenticated");
      assertThat(r.message()).contains("no bearer token");
    });
    assertThat(refusal(auth.check("Basic YWxpY2U6cHc=", "shop", "create")).message())
        .contains("not a bearer token");
    assertThat(refusal(auth.check("Bearer   ", "shop", "create")).message()).contains("empty");
    DoorRefusal unknown = refusal(auth.check("Bearer stolen", "shop", "create"));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.message()).contains("not valid").contains("token not found");
    // nothing was asked about access for a caller nobody knows
    assertThat(api.asked).containsExactly("token");
  }

  @Test
  void aKnownCallerWithoutTheVerbIs403NamingVerbResourceAndNamespace() {
    DoorRefusal r = refusal(auth.check("Bearer alice-token", "shop", "create"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.rule()).isEqualTo("Forbidden");
    assertThat(r.verbs()).containsExactly("create");
    assertThat(r.resource()).isEqualTo("perconaxtradbopsrequests.ops.kubedb.com");
    assertThat(r.namespace()).isEqualTo("shop");
    assertThat(r.message()).isEqualTo(
        "user \"alice\" may not create perconaxtradbopsrequests.ops.kubedb.com in namespace \"shop\"");

    api.grants.add("alice create shop");
    assertThat(auth.check("bearer alice-token", "shop", "create")).as("a grant works on the next call").isEmpty();
    assertThat(refusal(auth.check("Bearer alice-token", "other", "create")).namespace()).isEqualTo("other");
  }

  @Test
  void replayAndCancelNeedUpdateOrPatchEitherWillDo() {
    assertThat(refusal(auth.check("Bearer alice-token", "shop", "update", "patch")).message())
        .contains("may not update or patch");
    api.grants.add("alice patch shop");
    assertThat(auth.check("Bearer alice-token", "shop", "update", "patch")).isEmpty();
    api.grants.clear();
    api.grants.add("alice update shop");
    api.asked.clear();
    assertThat(auth.check("Bearer alice-token", "shop", "update", "patch")).isEmpty();
    assertThat(api.asked).containsExactly("update@shop");
  }

  @Test
  void anApiThatCannotBeAskedIs503NeverAnAllow() {
    api.down = true;
    DoorRefusal token = refusal(auth.check("Bearer alice-token", "shop", "create"));
    assertThat(token.status()).isEqualTo(503);
    assertThat(token.rule()).isEqualTo("AuthUnavailable");
    assertThat(token.message()).contains("connection refused");

    api.down = false;
    auth.authenticate("Bearer alice-token"); // known now, so the next question is the access review
    api.down = true;
    assertThat(refusal(auth.check("Bearer alice-token", "shop", "create")).status()).isEqualTo(503);
    assertThatThrownBy(() -> auth.listFilter(ALICE)).isInstanceOf(AccessReviewUnavailableException.class);
  }

  @Test
  void positiveAnswersAreReusedUntilTheTtlAndRefusalsNever() {
    api.grants.add("alice create shop");
    for (int i = 0; i < 5; i++) {
      assertThat(auth.check("Bearer alice-token", "shop", "create")).isEmpty();
      assertThat(auth.check("Bearer stolen", "shop", "create")).isPresent();
    }
    assertThat(api.asked.stream().filter("create@shop"::equals)).hasSize(1);
    assertThat(api.asked.stream().filter("token"::equals)).as("one for alice, five for the unknown token").hasSize(6);

    // revoked: still allowed inside the TTL, refused once it has passed
    api.grants.clear();
    ticker.nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(auth.check("Bearer alice-token", "shop", "create")).isEmpty();
    ticker.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(refusal(auth.check("Bearer alice-token", "shop", "create")).status()).isEqualTo(403);
  }

  @Test
  void aListFilterAsksOncePerNamespaceOrOnceForAllNamespaces() {
    api.grants.add("alice list shop");
    DoorAuthorizer.NamespaceFilter filter = auth.listFilter(ALICE);
    for (int i = 0; i < 3; i++) {
      assertThat(filter.test("shop")).isTrue();
      assertThat(filter.test("bank")).isFalse();
    }
    assertThat(api.asked).containsExactly("list@", "list@shop", "list@bank");

    api.grants.add("alice list ");
    api.asked.clear();
    DoorAuthorizer.NamespaceFilter everywhere = auth.listFilter(ALICE);
    assertThat(everywhere.test("bank")).isTrue();
    assertThat(api.asked).containsExactly("list@");
  }

  @Test
  void switchedOffEveryCallerIsLetThroughWithoutAsking() {
    DoorAuthorizer off = DoorAuthorizer.off("test door", "a test");
    assertThat(off.enabled()).isFalse();
    assertThat(off.check(null, "shop", "create")).isEmpty();
    assertThat(off.listFilter(ALICE).test("any")).isTrue();
  }

  @Test
  void theSettingsDefaultToOnAndNameTheVariableWhenWrong() {
    DoorAuthConfig defaults = DoorAuthConfig.fromEnv(Map.of());
    assertThat(defaults.enabled()).isTrue();
    assertThat(defaults.cacheTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(DoorAuthConfig.fromEnv(Map.of("PXOPS_DOOR_AUTH", "none")).enabled()).isFalse();
    assertThatThrownBy(() -> DoorAuthConfig.fromEnv(Map.of("PXOPS_DOOR_AUTH", "off")))
        .hasMessageContaining("PXOPS_DOOR_AUTH must be kubernetes or none");
    assertThatThrownBy(() -> DoorAuthConfig.fromEnv(Map.of("PXOPS_DOOR_AUTH_CACHE_TTL", "PT1H")))
        .hasMessageContaining("PXOPS_DOOR_AUTH_CACHE_TTL must be a duration").hasMessageContaining("from 1ms to 5m");
    assertThatThrownBy(() -> DoorAuthConfig.fromEnv(Map.of("PXOPS_DOOR_AUTH_CACHE_SIZE", "0")))
        .hasMessageContaining("PXOPS_DOOR_AUTH_CACHE_SIZE must be a whole number in 1..1000000");
  }

  private static DoorRefusal refusal(Optional<DoorRefusal> r) {
    assertThat(r).isPresent();
    return r.get();
  }
}
