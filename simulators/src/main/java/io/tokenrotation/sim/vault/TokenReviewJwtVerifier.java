package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Verifies a service-account JWT the way Vault's Kubernetes auth plugin does
 * (vault-plugin-auth-kubernetes, path_login.go and token_review.go, configured with {@code
 * kubernetes_host}, {@code kubernetes_ca_cert}, {@code token_reviewer_jwt} and no {@code
 * pem_keys}): the Kubernetes API server's TokenReview is the authority.
 *
 * <p>Per login:
 *
 * <ol>
 *   <li>The JWT must be shaped like a compact JWS; its claims are read without checking the
 *       signature (as the plugin does without {@code pem_keys}). If the role has an audience, the
 *       {@code aud} claim must contain it. Failing either rejects without calling the API server.
 *   <li>{@code POST {host}/apis/authentication.k8s.io/v1/tokenreviews} with {@code
 *       {"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":<jwt>,"audiences":[..]}}},
 *       {@code Authorization: Bearer <reviewer JWT>}, JSON content type and accept. The audiences
 *       are the role's audience if configured, otherwise the JWT's own {@code aud} claim (as the
 *       plugin's lookup does), and the field is left out when that is empty. The reviewer JWT is
 *       asked from the supplier for every review, so the caller can rotate it; if it supplies null
 *       or blank, the JWT under review is its own bearer (the plugin's behaviour without {@code
 *       token_reviewer_jwt}).
 *   <li>Accepted only if the answer is 2xx, a TokenReview (a {@code Status} object is an error),
 *       {@code status.error} is empty, {@code status.authenticated} is true, {@code
 *       status.audiences} shares one of the requested audiences (when some were requested), {@code
 *       status.user.username} is {@code system:serviceaccount:<namespace>:<name>}, and namespace,
 *       name and {@code status.user.uid} equal the JWT's own service-account claims (the plugin's
 *       "JWT names/UIDs/namespaces did not match"). The identity comes from the review.
 * </ol>
 *
 * <p>Every failure is a rejection, which the login answers with 403 "permission denied". That
 * includes an API server that refuses the reviewer (401/403), a server error, a timeout or a TLS
 * failure: the plugin maps every lookup error to {@code logical.ErrPermissionDenied}
 * (path_login.go), and failing closed is the safe choice anyway, since an unverifiable token must
 * never log in. Such rejections are also counted as {@link #failed()} so a misconfigured reviewer
 * shows up.
 *
 * <p>Simplifications: the JWS {@code alg} header, {@code exp} and {@code iss} are not checked
 * locally (the API server checks signature and expiry; the plugin skips {@code iss} by default);
 * the bound name/namespace checks stay in the role, after this verifier. One retry on an I/O
 * failure that is not a timeout (a pooled connection the server closed; Go's transport retries
 * those too); a TokenReview has no side effects.
 *
 * <p>Secrets: neither the JWT nor the reviewer JWT is ever logged, put in an exception message, in
 * {@link #lastRejection()} or in {@link #toString()}; the API server's error texts are not repeated
 * either. Thread-safe; one {@link HttpClient} per instance, trusting only the given CA.
 */
public final class TokenReviewJwtVerifier implements JwtVerifier {
  /** Appended to the host, as the plugin does (after trimming one trailing slash). */
  public static final String TOKEN_REVIEW_PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private static final Pattern COMPACT_JWS =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final URI reviewUri;
  private final HttpClient http;
  private final Supplier<String> reviewerJwt;
  private final Optional<String> audience;
  private final AtomicLong reviewsSent = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> lastRejection = new AtomicReference<>();

  private TokenReviewJwtVerifier(
      URI reviewUri, HttpClient http, Supplier<String> reviewerJwt, Optional<String> audience) {
    this.reviewUri = reviewUri;
    this.http = http;
    this.reviewerJwt = reviewerJwt;
    this.audience = audience;
  }

  /**
   * A verifier against one Kubernetes API server.
   *
   * @param host {@code kubernetes_host}, e.g. {@code https://127.0.0.1:6443}; must be https
   * @param caPem {@code kubernetes_ca_cert}: one or more PEM certificates, the only ones trusted
   *     for the host
   * @param reviewerJwt {@code token_reviewer_jwt}, read for every review; null or blank = the JWT
   *     under review is its own bearer. Must be able to create {@code tokenreviews} ({@code
   *     system:auth-delegator}).
   * @param audience the role's {@code audience}; empty = none configured
   * @throws IllegalArgumentException if the host is not https or the PEM holds no certificate
   */
  public static TokenReviewJwtVerifier forApiServer(
      URI host, String caPem, Supplier<String> reviewerJwt, Optional<String> audience) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(caPem, "caPem");
    Objects.requireNonNull(reviewerJwt, "reviewerJwt");
    Objects.requireNonNull(audience, "audience");
    if (!"https".equalsIgnoreCase(host.getScheme()) || host.getHost() == null) {
      throw new IllegalArgumentException("kubernetes_host must be an https URL, got " + host);
    }
    String base = host.toString();
    if (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .sslContext(trustingOnly(caPem))
            .build();
    return new TokenReviewJwtVerifier(
        URI.create(base + TOKEN_REVIEW_PATH),
        http,
        reviewerJwt,
        audience.filter(a -> !a.isBlank()));
  }

  @Override
  public Optional<ServiceAccountIdentity> verify(String jwt) {
    if (jwt == null || !COMPACT_JWS.matcher(jwt).matches()) {
      return reject("the JWT is not a compact JWS");
    }
    Optional<JsonNode> claims = UnsignedClaimsJwtVerifier.claims(jwt);
    if (claims.isEmpty()) {
      return reject("the JWT's claims are not a JSON object");
    }
    List<String> tokenAudiences = UnsignedClaimsJwtVerifier.audiences(claims.get());
    if (audience.isPresent() && !tokenAudiences.contains(audience.get())) {
      return reject("the JWT's aud claim lacks the role audience");
    }
    List<String> wanted = audience.map(List::of).orElse(tokenAudiences);

    HttpResponse<byte[]> response;
    try {
      response = send(jwt, wanted);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for the TokenReview");
    } catch (HttpTimeoutException e) {
      return fail("TokenReview timed out (" + e.getClass().getSimpleName() + ")");
    } catch (IOException | RuntimeException e) {
      // The class name only: messages may quote request details.
      return fail("TokenReview request failed (" + e.getClass().getSimpleName() + ")");
    }
    return judge(response, wanted, claims.get());
  }

  private HttpResponse<byte[]> send(String jwt, List<String> wanted)
      throws IOException, InterruptedException {
    ObjectNode review =
        Json.object().put("apiVersion", "authentication.k8s.io/v1").put("kind", "TokenReview");
    ObjectNode spec = review.putObject("spec").put("token", jwt);
    if (!wanted.isEmpty()) {
      wanted.forEach(spec.putArray("audiences")::add);
    }
    String reviewer = reviewerJwt.get();
    String bearer = reviewer == null || reviewer.isBlank() ? jwt : reviewer.strip();
    HttpRequest request =
        HttpRequest.newBuilder(reviewUri)
            .timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(review.toString(), StandardCharsets.UTF_8))
            .build();
    reviewsSent.incrementAndGet();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw e;
    } catch (IOException e) {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private Optional<ServiceAccountIdentity> judge(
      HttpResponse<byte[]> response, List<String> wanted, JsonNode claims) {
    int code = response.statusCode();
    if (code < 200 || code > 206) {
      return fail(
          "the API server answered the TokenReview with HTTP "
              + code
              + (code == 401 || code == 403
                  ? " (the reviewer JWT is not accepted or may not create tokenreviews)"
                  : ""));
    }
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      return fail("the TokenReview answer is not JSON");
    }
    // A TokenReview has an object "status", a metav1.Status a string one: the plugin tells them
    // apart the same way.
    JsonNode status = body == null ? null : body.get("status");
    if (status == null || !status.isObject()) {
      return fail("the TokenReview answer is not a TokenReview");
    }
    JsonNode error = status.path("error");
    if (!error.isMissingNode()
        && !error.isNull()
        && !(error.isTextual() && error.asText().isEmpty())) {
      return reject("the TokenReview reports an error (status.error)");
    }
    if (!status
        .path("authenticated")
        .booleanValue()) { // only a JSON true; "true" as a string is no TokenReview
      return reject("the TokenReview did not authenticate the JWT");
    }
    if (!wanted.isEmpty()) {
      List<String> granted = new ArrayList<>();
      status.path("audiences").forEach(a -> granted.add(a.asText()));
      if (wanted.stream().noneMatch(granted::contains)) {
        return reject("the TokenReview grants none of the requested audiences");
      }
    }
    String[] user = status.path("user").path("username").asText("").split(":", -1);
    if (user.length != 4 || !user[0].equals("system") || !user[1].equals("serviceaccount")) {
      return reject("the TokenReview names a user that is not a service account");
    }
    ServiceAccountIdentity reviewed =
        new ServiceAccountIdentity(user[2], user[3], status.path("user").path("uid").asText(""));
    Optional<ServiceAccountIdentity> claimed = UnsignedClaimsJwtVerifier.identity(claims);
    if (claimed.isEmpty() || claimed.get().uid().isEmpty() || !claimed.get().equals(reviewed)) {
      return reject("the TokenReview's service account does not match the JWT's claims");
    }
    accepted.incrementAndGet();
    return Optional.of(reviewed);
  }

  private Optional<ServiceAccountIdentity> reject(String reason) {
    lastRejection.set(reason);
    rejected.incrementAndGet();
    return Optional.empty();
  }

  /** A rejection because the review gave no verdict. */
  private Optional<ServiceAccountIdentity> fail(String reason) {
    failed.incrementAndGet();
    return reject(reason);
  }

  private static SSLContext trustingOnly(String caPem) {
    try {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(
                  new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("kubernetes_ca_cert holds no PEM certificate");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        trusted.setCertificateEntry("kubernetes-ca-" + i++, certificate);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("kubernetes_ca_cert is not a usable PEM certificate", e);
    }
  }

  /**
   * Reviews sent to the API server (one per verification that got that far; a retry is not counted
   * again).
   */
  public long reviewsSent() {
    return reviewsSent.get();
  }

  /** Verifications that yielded an identity. */
  public long accepted() {
    return accepted.get();
  }

  /**
   * Verifications that yielded nothing (login: 403 "permission denied"), including {@link
   * #failed()} ones.
   */
  public long rejected() {
    return rejected.get();
  }

  /**
   * The part of {@link #rejected()} where the review gave no verdict: non-2xx, no valid answer, TLS
   * or I/O error.
   */
  public long failed() {
    return failed.get();
  }

  /**
   * Why the latest rejection happened, in fixed words (never a token, never the API server's text).
   */
  public Optional<String> lastRejection() {
    return Optional.ofNullable(lastRejection.get());
  }

  @Override
  public String toString() {
    return "TokenReviewJwtVerifier["
        + reviewUri
        + ", sent="
        + reviewsSent
        + ", accepted="
        + accepted
        + ", rejected="
        + rejected
        + ", failed="
        + failed
        + "]";
  }
}
