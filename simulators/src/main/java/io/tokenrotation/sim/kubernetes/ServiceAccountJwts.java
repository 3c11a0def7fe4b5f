package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues and verifies service-account JWTs the way the embedded API server's TokenRequest endpoint
 * hands them out (claims as a real API server sets them: iss, sub, aud, exp, iat,
 * kubernetes.io{namespace, serviceaccount}). Signed with HS256 and a per-process random key instead
 * of the cluster's RSA key: what matters to the Vault simulator is that a forged or expired token
 * is refused, and that the namespace/name come from the issuer.
 */
public final class ServiceAccountJwts {
  public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final byte[] key = new byte[32];
  private final Clock clock;

  /** The identity a verified token carries. */
  public record Identity(
      String namespace, String serviceAccount, String uid, List<String> audiences) {}

  public ServiceAccountJwts(Clock clock) {
    new SecureRandom().nextBytes(key);
    this.clock = clock;
  }

  public String issue(
      String namespace, String serviceAccount, String uid, List<String> audiences, Duration ttl) {
    long now = clock.instant().getEpochSecond();
    ObjectNode claims = Json.object();
    claims.put("iss", ISSUER);
    claims.put("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount);
    claims.putPOJO("aud", audiences);
    claims.put("iat", now);
    claims.put("nbf", now);
    claims.put("exp", now + ttl.getSeconds());
    ObjectNode k8s = claims.putObject("kubernetes.io");
    k8s.put("namespace", namespace);
    k8s.putObject("serviceaccount").put("name", serviceAccount).put("uid", uid);
    String header =
        B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String payload = B64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + "." + B64.encodeToString(sign(header + "." + payload));
  }

  /**
   * The identity, if the signature is ours, the token is not expired and (when given) the audience
   * matches.
   */
  public Optional<Identity> verify(String jwt, String requiredAudience) {
    try {
      String[] parts = jwt.split("\\.");
      if (parts.length != 3
          || !MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), B64D.decode(parts[2]))) {
        return Optional.empty();
      }
      JsonNode claims = Json.MAPPER.readTree(B64D.decode(parts[1]));
      if (claims.path("exp").asLong(0) < clock.instant().getEpochSecond()) {
        return Optional.empty();
      }
      List<String> audiences =
          claims.path("aud").isArray()
              ? Json.MAPPER.convertValue(
                  claims.get("aud"),
                  Json.MAPPER.getTypeFactory().constructCollectionType(List.class, String.class))
              : List.of(claims.path("aud").asText());
      if (requiredAudience != null
          && !requiredAudience.isEmpty()
          && !audiences.contains(requiredAudience)) {
        return Optional.empty();
      }
      JsonNode k8s = claims.path("kubernetes.io");
      return Optional.of(
          new Identity(
              k8s.path("namespace").asText(),
              k8s.path("serviceaccount").path("name").asText(),
              k8s.path("serviceaccount").path("uid").asText(),
              audiences));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private byte[] sign(String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
