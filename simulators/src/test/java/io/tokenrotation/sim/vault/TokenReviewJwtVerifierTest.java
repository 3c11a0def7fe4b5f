package io.tokenrotation.sim.vault;

import static io.tokenrotation.sim.vault.FakeTokenReviewApi.authenticated;
import static io.tokenrotation.sim.vault.FakeTokenReviewApi.statusError;
import static io.tokenrotation.sim.vault.FakeTokenReviewApi.unauthenticated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.vault.FakeTokenReviewApi.Answer;
import io.tokenrotation.sim.vault.FakeTokenReviewApi.Request;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenReviewJwtVerifier} against a fake kube-apiserver TokenReview endpoint over HTTPS.
 * Tokens are only ever compared as booleans, so a failing assertion cannot print one.
 */
class TokenReviewJwtVerifierTest {
  private static final Instant EXPIRY = Instant.parse("2030-01-01T00:00:00Z");
  private static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc.cluster.local";
  private static final ServiceAccountIdentity OPERATOR =
      new ServiceAccountIdentity("ops", "rotator", "uid-1");
  private static final ServiceAccountIdentity STRANGER =
      new ServiceAccountIdentity("ops", "stranger", "uid-2");
  private static final ServiceAccountIdentity VAULT_SA =
      new ServiceAccountIdentity("vault", "vault", "uid-9");
  private static final String OPERATOR_JWT = jwt(OPERATOR, List.of("vault"));
  private static final String STRANGER_JWT = jwt(STRANGER, List.of("vault"));

  /** Well-formed, names the operator, but the cluster never issued it (a forgery). */
  private static final String FORGED_JWT = jwt(OPERATOR, List.of("vault", "forged"));

  private static final String REVIEWER_JWT = jwt(VAULT_SA, List.of(API_SERVER_AUDIENCE));

  /** What the fake cluster issued. */
  private static final Map<String, ServiceAccountIdentity> ISSUED =
      Map.of(OPERATOR_JWT, OPERATOR, STRANGER_JWT, STRANGER);

  private FakeTokenReviewApi api;

  @BeforeEach
  void start() {
    api = FakeTokenReviewApi.start(TokenReviewJwtVerifierTest::cluster);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static String jwt(ServiceAccountIdentity sa, List<String> audiences) {
    return UnsignedClaimsJwtVerifier.unsignedToken(sa, EXPIRY, audiences);
  }

  /**
   * Answers like a kube-apiserver: 401 unless the bearer is the reviewer JWT; issued tokens
   * authenticate for the intersection of their audiences and the requested ones (default: the API
   * server's own audience).
   */
  private static Answer cluster(Request request) {
    if (!("Bearer " + REVIEWER_JWT).equals(request.authorization())) {
      return statusError(401, "Unauthorized", "Unauthorized");
    }
    String token = request.spec().path("token").asText("");
    ServiceAccountIdentity sa = ISSUED.get(token);
    if (sa == null) {
      return unauthenticated(request, "[invalid bearer token, token lookup failed]");
    }
    List<String> requested =
        request.spec().has("audiences")
            ? texts(request.spec().get("audiences"))
            : List.of(API_SERVER_AUDIENCE);
    List<String> granted = new ArrayList<>(requested);
    granted.retainAll(
        UnsignedClaimsJwtVerifier.audiences(UnsignedClaimsJwtVerifier.claims(token).orElseThrow()));
    if (granted.isEmpty()) {
      return unauthenticated(
          request, "[invalid bearer token, token audiences is invalid for the target audiences]");
    }
    return authenticated(
        request, "system:serviceaccount:" + sa.namespace() + ":" + sa.name(), sa.uid(), granted);
  }

  /**
   * Authenticates any token for the service account its claims name, granting the requested
   * audiences.
   */
  private static Answer believeTheClaims(Request request) {
    JsonNode claims =
        UnsignedClaimsJwtVerifier.claims(request.spec().path("token").asText("")).orElseThrow();
    ServiceAccountIdentity sa = UnsignedClaimsJwtVerifier.identity(claims).orElseThrow();
    return authenticated(
        request,
        "system:serviceaccount:" + sa.namespace() + ":" + sa.name(),
        sa.uid(),
        texts(request.spec().path("audiences")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> all = new ArrayList<>();
    array.forEach(a -> all.add(a.asText()));
    return all;
  }

  private TokenReviewJwtVerifier verifier(Optional<String> audience) {
    return TokenReviewJwtVerifier.forApiServer(
        api.host(), FakeTokenReviewApi.caPem(), () -> REVIEWER_JWT, audience);
  }

  private static void assertCounts(
      TokenReviewJwtVerifier verifier, long sent, long accepted, long rejected, long failed) {
    assertThat(
            List.of(
                verifier.reviewsSent(),
                verifier.accepted(),
                verifier.rejected(),
                verifier.failed()))
        .as("sent, accepted, rejected, failed")
        .containsExactly(sent, accepted, rejected, failed);
  }

  /** Compares without ever printing either side. */
  private static void assertSameSecret(String actual, String expected, String what) {
    assertThat(expected.equals(actual)).as(what).isTrue();
  }

  @Test
  void anAuthenticatedServiceAccountYieldsTheIdentityTheReviewNames() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());

    assertThat(verifier.verify(OPERATOR_JWT)).contains(OPERATOR);

    Request request = api.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/apis/authentication.k8s.io/v1/tokenreviews");
    assertThat(request.contentType()).isEqualTo("application/json");
    assertThat(request.accept()).isEqualTo("application/json");
    assertThat(request.body().path("apiVersion").asText()).isEqualTo("authentication.k8s.io/v1");
    assertThat(request.body().path("kind").asText()).isEqualTo("TokenReview");
    assertSameSecret(
        request.spec().path("token").asText(), OPERATOR_JWT, "spec.token is the JWT under review");
    assertSameSecret(
        request.authorization(), "Bearer " + REVIEWER_JWT, "the bearer is the reviewer JWT");
    assertCounts(verifier, 1, 1, 0, 0);
    assertThat(verifier.lastRejection()).isEmpty();
  }

  @Test
  void anUnauthenticatedReviewIsPermissionDenied() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());

    assertThat(verifier.verify(FORGED_JWT)).isEmpty();
    api.answers(
        request ->
            new Answer(
                201,
                "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":\"true\","
                    + "\"user\":{\"username\":\"system:serviceaccount:ops:rotator\",\"uid\":\"uid-1\"},"
                    + "\"audiences\":[\"vault\"]}}"));
    assertThat(verifier.verify(OPERATOR_JWT)).as("authenticated must be the JSON true").isEmpty();
    api.answers(request -> unauthenticated(request, ""));
    assertThat(verifier.verify(OPERATOR_JWT)).isEmpty();

    assertThat(verifier.lastRejection()).contains("the TokenReview did not authenticate the JWT");
    assertCounts(verifier, 3, 0, 3, 0);
  }

  @Test
  void anAuthenticatedUserThatIsNotAServiceAccountIsPermissionDenied() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    for (String username :
        List.of("system:node:worker-1", "alice@example.com", "system:serviceaccount:ops")) {
      api.answers(request -> authenticated(request, username, "uid-1", List.of("vault")));
      assertThat(verifier.verify(OPERATOR_JWT)).as(username).isEmpty();
    }
    assertThat(verifier.lastRejection())
        .contains("the TokenReview names a user that is not a service account");
    assertCounts(verifier, 3, 0, 3, 0);
  }

  @Test
  void aReviewThatNamesAnotherAccountThanTheJwtClaimsIsPermissionDenied() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    for (ServiceAccountIdentity other :
        List.of(
            STRANGER,
            new ServiceAccountIdentity("dev", "rotator", "uid-1"),
            new ServiceAccountIdentity("ops", "rotator", "uid-recreated"))) {
      api.answers(
          request ->
              authenticated(
                  request,
                  "system:serviceaccount:" + other.namespace() + ":" + other.name(),
                  other.uid(),
                  List.of("vault")));
      assertThat(verifier.verify(OPERATOR_JWT)).as(other.toString()).isEmpty();
    }
    assertThat(verifier.lastRejection())
        .contains("the TokenReview's service account does not match the JWT's claims");
    assertCounts(verifier, 3, 0, 3, 0);
  }

  @Test
  void anApiServerThatRefusesTheReviewerIsPermissionDenied() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    api.answers(
        request ->
            statusError(
                403,
                "Forbidden",
                "tokenreviews.authentication.k8s.io is forbidden: User "
                    + "\"system:serviceaccount:vault:vault\" cannot create resource \"tokenreviews\" in API group "
                    + "\"authentication.k8s.io\" at the cluster scope"));
    assertThat(verifier.verify(OPERATOR_JWT)).isEmpty();
    assertThat(verifier.lastRejection())
        .hasValueSatisfying(reason -> assertThat(reason).contains("HTTP 403"));

    api.answers(TokenReviewJwtVerifierTest::cluster);
    TokenReviewJwtVerifier staleReviewer =
        TokenReviewJwtVerifier.forApiServer(
            api.host(), FakeTokenReviewApi.caPem(), () -> STRANGER_JWT, Optional.empty());
    assertThat(staleReviewer.verify(OPERATOR_JWT)).isEmpty();
    assertThat(staleReviewer.lastRejection())
        .hasValueSatisfying(reason -> assertThat(reason).contains("HTTP 401"));

    assertCounts(verifier, 1, 0, 1, 1);
    assertCounts(staleReviewer, 1, 0, 1, 1);
  }

  @Test
  void aServerErrorOrAnAnswerThatIsNoTokenReviewIsPermissionDeniedNotAnError() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    List<Answer> answers =
        List.of(
            statusError(500, "InternalError", "etcdserver: request timed out"),
            statusError(
                503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            new Answer(
                200,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":500}"),
            new Answer(201, "{\"kind\":\"TokenReview\",\"spec\":{}}"),
            new Answer(201, "<html>proxy error</html>"),
            new Answer(302, ""));
    for (Answer answer : answers) {
      api.answers(request -> answer);
      assertThat(verifier.verify(OPERATOR_JWT)).as(answer.toString()).isEmpty();
    }
    assertCounts(verifier, answers.size(), 0, answers.size(), answers.size());
  }

  @Test
  void onlyTheGivenCaIsTrusted() {
    TokenReviewJwtVerifier untrusting =
        TokenReviewJwtVerifier.forApiServer(
            api.host(), FakeTokenReviewApi.otherCaPem(), () -> REVIEWER_JWT, Optional.empty());

    assertThat(untrusting.verify(OPERATOR_JWT)).isEmpty();

    assertThat(api.requests()).as("the handshake fails before any request").isEmpty();
    assertThat(untrusting.lastRejection())
        .hasValueSatisfying(reason -> assertThat(reason).contains("SSL"));
    assertCounts(untrusting, 1, 0, 1, 1);
    // By host name too: the certificate names both 127.0.0.1 and localhost.
    TokenReviewJwtVerifier byName =
        TokenReviewJwtVerifier.forApiServer(
            URI.create("https://localhost:" + api.host().getPort() + "/"),
            FakeTokenReviewApi.caPem(),
            () -> REVIEWER_JWT,
            Optional.empty());
    assertThat(byName.verify(OPERATOR_JWT)).contains(OPERATOR);
  }

  @Test
  void theRoleAudienceIsSentAndTheReviewMustGrantIt() {
    TokenReviewJwtVerifier verifier = verifier(Optional.of("vault"));
    String multiAudienceJwt = jwt(OPERATOR, List.of("other", "vault"));
    api.answers(TokenReviewJwtVerifierTest::believeTheClaims);

    assertThat(verifier.verify(multiAudienceJwt)).contains(OPERATOR);
    assertThat(texts(api.onlyRequest().spec().path("audiences"))).containsExactly("vault");

    api.answers(
        request ->
            authenticated(request, "system:serviceaccount:ops:rotator", "uid-1", List.of("other")));
    assertThat(verifier.verify(multiAudienceJwt)).as("an audience-unaware answer").isEmpty();
    assertThat(verifier.lastRejection())
        .contains("the TokenReview grants none of the requested audiences");

    int before = api.requests().size();
    assertThat(verifier.verify(jwt(OPERATOR, List.of("other"))))
        .as("a JWT without the role audience")
        .isEmpty();
    assertThat(api.requests()).as("rejected before any review").hasSize(before);
    assertThat(verifier.lastRejection()).contains("the JWT's aud claim lacks the role audience");
    assertCounts(verifier, 2, 1, 2, 0);
  }

  @Test
  void withoutARoleAudienceTheJwtsOwnAudiencesAreSentAndNoneWhenItHasNone() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    api.answers(TokenReviewJwtVerifierTest::believeTheClaims);

    assertThat(verifier.verify(jwt(OPERATOR, List.of("vault", "extra")))).contains(OPERATOR);
    assertThat(verifier.verify(jwt(OPERATOR, List.of()))).contains(OPERATOR);

    List<Request> requests = api.requests();
    assertThat(texts(requests.get(0).spec().path("audiences"))).containsExactly("vault", "extra");
    assertThat(requests.get(1).spec().has("audiences")).as("spec.audiences is left out").isFalse();
  }

  @Test
  void theReviewerJwtIsReadForEveryReviewAndWithoutOneTheJwtIsItsOwnBearer() {
    AtomicReference<String> reviewer = new AtomicReference<>("first-reviewer-jwt");
    TokenReviewJwtVerifier verifier =
        TokenReviewJwtVerifier.forApiServer(
            api.host(), FakeTokenReviewApi.caPem(), reviewer::get, Optional.empty());
    api.answers(TokenReviewJwtVerifierTest::believeTheClaims);

    verifier.verify(OPERATOR_JWT);
    reviewer.set("second-reviewer-jwt");
    verifier.verify(OPERATOR_JWT);
    reviewer.set(" ");
    verifier.verify(OPERATOR_JWT);

    List<Request> requests = api.requests();
    assertThat(requests).hasSize(3);
    assertSameSecret(
        requests.get(0).authorization(), "Bearer first-reviewer-jwt", "first reviewer JWT");
    assertSameSecret(
        requests.get(1).authorization(), "Bearer second-reviewer-jwt", "rotated reviewer JWT");
    assertSameSecret(
        requests.get(2).authorization(), "Bearer " + OPERATOR_JWT, "no reviewer: the JWT itself");
    assertCounts(verifier, 3, 3, 0, 0);
  }

  @Test
  void aConnectionDroppedBeforeTheAnswerIsRetriedOnce() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    AtomicInteger calls = new AtomicInteger();
    api.answers(request -> calls.incrementAndGet() == 1 ? Answer.DROP : cluster(request));

    assertThat(verifier.verify(OPERATOR_JWT)).contains(OPERATOR);
    assertThat(api.requests()).hasSize(2);

    api.answers(request -> Answer.DROP);
    assertThat(verifier.verify(OPERATOR_JWT)).isEmpty();
    assertThat(api.requests()).as("one retry, not more").hasSize(4);
    assertCounts(verifier, 2, 1, 1, 1);
  }

  @Test
  void somethingThatIsNoJwtIsRejectedWithoutAReview() {
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    for (String notAJwt :
        List.of(
            "opaque-token",
            "a.b",
            "a.b.c.d",
            "e30.!!!.sig",
            "e30.bm90IGpzb24.sig",
            "e30.WzFd.sig",
            "line\nbreak.e30.x")) {
      assertThat(verifier.verify(notAJwt)).as(notAJwt).isEmpty();
    }
    assertThat(api.requests()).isEmpty();
    assertCounts(verifier, 0, 0, 7, 0);
  }

  @Test
  void neitherTheJwtNorTheReviewerJwtAppearsInWhatTheVerifierExposes() {
    List<String> exposed = new ArrayList<>();
    TokenReviewJwtVerifier verifier = verifier(Optional.empty());
    // API servers that quote the tokens back in their error texts.
    List<Answer> answers =
        List.of(
            statusError(
                403, "Forbidden", "reviewer " + REVIEWER_JWT + " may not create tokenreviews"),
            statusError(500, "InternalError", "failed on " + OPERATOR_JWT),
            new Answer(
                201,
                "{\"kind\":\"TokenReview\",\"status\":{\"authenticated\":false,\"error\":\"bad token "
                    + OPERATOR_JWT
                    + "\"}}"),
            new Answer(201, "not json " + OPERATOR_JWT));
    for (Answer answer : answers) {
      api.answers(request -> answer);
      verifier.verify(OPERATOR_JWT);
      exposed.add(verifier.lastRejection().orElseThrow());
      exposed.add(verifier.toString());
    }
    api.answers(request -> Answer.DROP);
    verifier.verify(OPERATOR_JWT);
    exposed.add(verifier.lastRejection().orElseThrow());
    // A reviewer-token source that fails with the token in its message.
    Supplier<String> leaky =
        () -> {
          throw new IllegalStateException("cannot refresh " + REVIEWER_JWT);
        };
    TokenReviewJwtVerifier broken =
        TokenReviewJwtVerifier.forApiServer(
            api.host(), FakeTokenReviewApi.caPem(), leaky, Optional.empty());
    assertThat(broken.verify(OPERATOR_JWT)).isEmpty();
    exposed.add(broken.lastRejection().orElseThrow());
    exposed.add(broken.toString());
    api.answers(TokenReviewJwtVerifierTest::cluster);
    verifier.verify(OPERATOR_JWT);
    exposed.add(verifier.toString());
    exposed.add(api.requests().toString());

    assertThat(exposed).hasSize(13);
    for (String text : exposed) {
      assertThat(text.contains(OPERATOR_JWT) || text.contains(REVIEWER_JWT))
          .as("a token in what is exposed")
          .isFalse();
      // No part of a token either (the signature part of these unsigned tokens is empty).
      for (String secret : List.of(OPERATOR_JWT, REVIEWER_JWT)) {
        for (String part : secret.split("\\.")) {
          assertThat(!part.isEmpty() && text.contains(part))
              .as("a token part in what is exposed")
              .isFalse();
        }
      }
    }
  }

  @Test
  void forApiServerWantsHttpsAndACertificate() {
    assertThatThrownBy(
            () ->
                TokenReviewJwtVerifier.forApiServer(
                    URI.create("http://127.0.0.1:6443"),
                    FakeTokenReviewApi.caPem(),
                    () -> REVIEWER_JWT,
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("https");
    assertThatThrownBy(
            () ->
                TokenReviewJwtVerifier.forApiServer(
                    api.host(), "", () -> REVIEWER_JWT, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kubernetes_ca_cert");
    assertThatThrownBy(
            () ->
                TokenReviewJwtVerifier.forApiServer(
                    api.host(),
                    "-----BEGIN CERTIFICATE-----\nxx\n",
                    () -> REVIEWER_JWT,
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kubernetes_ca_cert");
  }

  @Test
  void aVaultKubernetesLoginIsDecidedByTheTokenReview() {
    SettableClock clock = new SettableClock();
    clock.fix(Instant.parse("2024-05-01T10:00:00Z"));
    TokenReviewJwtVerifier verifier = verifier(Optional.of("vault"));
    try (VaultSimulator vault = VaultSimulator.start(0, clock)) {
      vault.putPolicy("", "rotator", Map.of("secret/data/dynatrace/*", Set.of("read")));
      vault.kubernetesRole(
          "",
          "kubernetes",
          "rotator",
          Set.of("rotator"),
          Set.of("ops"),
          Set.of("rotator"),
          Duration.ofHours(1));
      VaultHttp anonymous = new VaultHttp(vault.baseUrl());
      // The default verifier only reads claims, so it lets the forgery in.
      assertThat(login(anonymous, FORGED_JWT).status()).isEqualTo(200);

      vault.jwtVerifier(verifier);

      VaultHttp.Reply operator = login(anonymous, OPERATOR_JWT);
      assertThat(operator.status()).isEqualTo(200);
      JsonNode metadata = operator.json().path("auth").path("metadata");
      assertThat(metadata.path("service_account_namespace").asText()).isEqualTo("ops");
      assertThat(metadata.path("service_account_name").asText()).isEqualTo("rotator");
      assertThat(metadata.path("service_account_uid").asText()).isEqualTo("uid-1");
      String clientToken = operator.json().path("auth").path("client_token").asText();
      vault.writeKv("", "secret", "dynatrace/script1", Map.of("token", "a"));
      assertThat(anonymous.token(clientToken).get("/v1/secret/data/dynatrace/script1").status())
          .isEqualTo(200);

      VaultHttp.Reply forged = login(new VaultHttp(vault.baseUrl()), FORGED_JWT);
      assertThat(forged.status()).isEqualTo(403);
      assertThat(forged.body()).isEqualTo("{\"errors\":[\"permission denied\"]}");

      VaultHttp.Reply stranger = login(new VaultHttp(vault.baseUrl()), STRANGER_JWT);
      assertThat(stranger.status()).isEqualTo(403);
      assertThat(stranger.body())
          .isEqualTo("{\"errors\":[\"service account name not authorized\"]}");
    }
    assertThat(api.requests()).hasSize(3);
    api.requests()
        .forEach(
            request ->
                assertThat(texts(request.spec().path("audiences"))).containsExactly("vault"));
    assertCounts(verifier, 3, 2, 1, 0);
  }

  private static VaultHttp.Reply login(VaultHttp client, String jwt) {
    return client.send(
        "POST", "/v1/auth/kubernetes/login", "{\"role\":\"rotator\",\"jwt\":\"" + jwt + "\"}");
  }
}
