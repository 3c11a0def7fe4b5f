package io.tokenrotation.operator.connect.allow;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The audiences the operator may request service-account tokens for (TokenRequest), set by the
 * cluster admin. A resource may pick one of them ({@code spec.vault.auth.kubernetes.audience}) or
 * gets the default. A token minted for an audience the Kubernetes API server accepts would let
 * whoever receives it act as that service account against the cluster itself, so such audiences are
 * refused at start-up: the API server's usual audiences are known by name (docs/security.md).
 */
public record AudiencePolicy(String defaultAudience, Set<String> allowed) {
  /**
   * What API servers accept by default (their service-account issuer) and names commonly configured
   * as such.
   */
  private static final Set<String> KUBERNETES_AUDIENCES =
      Set.of(
          "kubernetes",
          "kubernetes.default",
          "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local",
          "https://kubernetes.default.svc",
          "https://kubernetes.default.svc.cluster.local",
          "api",
          "k3s",
          "rke2");

  public AudiencePolicy {
    allowed = Set.copyOf(allowed);
  }

  /**
   * {@code allowedText}: comma-separated; empty = only {@code defaultAudience}. The default is
   * always allowed. {@code variable} names the setting in errors.
   */
  public static AudiencePolicy of(String defaultAudience, String allowedText, String variable) {
    Set<String> allowed = new LinkedHashSet<>();
    allowed.add(defaultAudience.trim());
    Arrays.stream((allowedText == null ? "" : allowedText).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(allowed::add);
    for (String audience : allowed) {
      if (audience.isEmpty()) {
        throw new IllegalArgumentException(
            variable + ": an empty audience means the API server's own audiences");
      }
      if (acceptedByKubernetes(audience)) {
        throw new IllegalArgumentException(
            variable
                + ": \""
                + audience
                + "\" is an audience the Kubernetes API"
                + " server accepts; a token for it would be valid against the cluster itself");
      }
    }
    return new AudiencePolicy(defaultAudience.trim(), allowed);
  }

  /**
   * A well-known API server audience, or the API server URL the operator itself talks to (the usual
   * issuer when none is configured).
   */
  public static boolean acceptedByKubernetes(String audience) {
    String a = audience.trim().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
    return KUBERNETES_AUDIENCES.contains(a) || a.startsWith("https://kubernetes.default.svc");
  }

  /** Empty when {@code requested} (empty = the default) may be used; otherwise why not. */
  public Optional<String> refusal(Optional<String> requested) {
    String audience = requested.orElse(defaultAudience);
    if (allowed.contains(audience)) {
      return Optional.empty();
    }
    return Optional.of(
        "audience \""
            + audience
            + "\" is not one the cluster admin allows (ALLOWED_VAULT_AUDIENCES: "
            + allowed.stream().sorted().collect(Collectors.joining(", "))
            + ")");
  }

  public String audience(Optional<String> requested) {
    return requested.orElse(defaultAudience);
  }
}
