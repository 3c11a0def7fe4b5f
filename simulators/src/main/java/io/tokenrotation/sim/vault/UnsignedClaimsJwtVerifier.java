package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * SIMULATION ONLY: reads the claims of a Kubernetes service-account JWT WITHOUT checking its
 * signature, so tests can log in with hand-made tokens. Anyone can forge an accepted token; never
 * use this outside tests.
 *
 * <p>It accepts the claim layouts Kubernetes issues: projected tokens ({@code kubernetes.io:
 * {namespace, serviceaccount: {name, uid}}}), legacy secret-based tokens ({@code
 * kubernetes.io/serviceaccount/...} claims), and falls back to {@code sub =
 * system:serviceaccount:<ns>:<name>}. It rejects a token whose {@code exp} has passed (by the
 * injected clock) and, when an audience is configured, one whose {@code aud} does not contain it.
 */
public final class UnsignedClaimsJwtVerifier implements JwtVerifier {
  private static final String SUB_PREFIX = "system:serviceaccount:";

  private final Clock clock;
  private final String requiredAudience;

  public UnsignedClaimsJwtVerifier(Clock clock) {
    this(clock, null);
  }

  /**
   * @param requiredAudience null = do not check {@code aud}
   */
  public UnsignedClaimsJwtVerifier(Clock clock, String requiredAudience) {
    this.clock = clock;
    this.requiredAudience = requiredAudience;
  }

  @Override
  public Optional<ServiceAccountIdentity> verify(String jwt) {
    Optional<JsonNode> parsed = claims(jwt);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    JsonNode claims = parsed.get();
    JsonNode exp = claims.get("exp");
    if (exp != null
        && exp.isNumber()
        && !Instant.ofEpochSecond(exp.asLong()).isAfter(clock.instant())) {
      return Optional.empty();
    }
    if (requiredAudience != null && !audiences(claims).contains(requiredAudience)) {
      return Optional.empty();
    }
    return identity(claims);
  }

  /**
   * The claims object of a compact JWS (three dot-separated parts), read WITHOUT checking the
   * signature; empty if the string is not shaped like one. Shared with {@link
   * TokenReviewJwtVerifier}.
   */
  static Optional<JsonNode> claims(String jwt) {
    try {
      String[] parts = jwt.split("\\.", -1);
      if (parts.length != 3) {
        return Optional.empty();
      }
      JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims != null && claims.isObject() ? Optional.of(claims) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * The {@code aud} claim as a list: a single string, an array of strings, or absent (empty list).
   */
  static List<String> audiences(JsonNode claims) {
    JsonNode aud = claims.get("aud");
    if (aud == null || aud.isNull()) {
      return List.of();
    }
    if (aud.isTextual()) {
      return List.of(aud.asText());
    }
    List<String> all = new ArrayList<>();
    aud.forEach(a -> all.add(a.asText()));
    return List.copyOf(all);
  }

  /**
   * The service account the claims name (projected, then legacy, then {@code sub}); uid "" when
   * none is given.
   */
  static Optional<ServiceAccountIdentity> identity(JsonNode claims) {
    JsonNode k8s = claims.get("kubernetes.io");
    if (k8s != null && k8s.isObject()) {
      String ns = k8s.path("namespace").asText("");
      String name = k8s.path("serviceaccount").path("name").asText("");
      String uid = k8s.path("serviceaccount").path("uid").asText("");
      if (!ns.isEmpty() && !name.isEmpty()) {
        return Optional.of(new ServiceAccountIdentity(ns, name, uid));
      }
    }
    String legacyNs = claims.path("kubernetes.io/serviceaccount/namespace").asText("");
    String legacyName = claims.path("kubernetes.io/serviceaccount/service-account.name").asText("");
    if (!legacyNs.isEmpty() && !legacyName.isEmpty()) {
      return Optional.of(
          new ServiceAccountIdentity(
              legacyNs,
              legacyName,
              claims.path("kubernetes.io/serviceaccount/service-account.uid").asText("")));
    }
    String sub = claims.path("sub").asText("");
    if (sub.startsWith(SUB_PREFIX)) {
      String[] parts = sub.substring(SUB_PREFIX.length()).split(":", -1);
      if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
        return Optional.of(new ServiceAccountIdentity(parts[0], parts[1], ""));
      }
    }
    return Optional.empty();
  }

  /**
   * Builds an UNSIGNED projected service-account token ("alg":"none" header, empty signature) for
   * tests.
   *
   * @param audiences may be empty (then no {@code aud} claim)
   */
  public static String unsignedToken(
      ServiceAccountIdentity sa, Instant expiry, List<String> audiences) {
    ObjectNode header = Json.object().put("alg", "none").put("typ", "JWT");
    ObjectNode claims = Json.object();
    if (!audiences.isEmpty()) {
      audiences.forEach(claims.putArray("aud")::add);
    }
    claims.put("exp", expiry.getEpochSecond());
    claims.put("iat", expiry.getEpochSecond() - 3600);
    claims.put("iss", "https://kubernetes.default.svc.cluster.local");
    claims.put("sub", SUB_PREFIX + sa.namespace() + ":" + sa.name());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", sa.namespace());
    k8s.putObject("serviceaccount").put("name", sa.name()).put("uid", sa.uid());
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8))
        + ".";
  }
}
