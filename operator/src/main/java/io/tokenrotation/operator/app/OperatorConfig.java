package io.tokenrotation.operator.app;

import io.tokenrotation.operator.policy.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, all from environment variables (README "Configuration" lists them). Parsed once at
 * start-up; a bad value stops the operator with a message naming the variable.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    String vaultKubernetesAudience,
    Duration serviceAccountTokenTtl,
    int reconcileThreads,
    int dynatraceRequestsPerMinute,
    Duration httpConnectTimeout,
    Duration httpReadTimeout) {

  public static OperatorConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return new OperatorConfig(
        namespaces(env.getOrDefault("WATCH_NAMESPACES", "")),
        env.getOrDefault("VAULT_K8S_AUDIENCE", "vault"),
        duration(env, "SA_TOKEN_TTL", "10m"),
        integer(env, "RECONCILE_THREADS", 50),
        integer(env, "DYNATRACE_RATE_LIMIT_PER_MINUTE", 0),
        duration(env, "HTTP_CONNECT_TIMEOUT", "10s"),
        duration(env, "HTTP_READ_TIMEOUT", "30s"));
  }

  /** Empty = all namespaces. */
  private static Set<String> namespaces(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    try {
      return Durations.parse(env.getOrDefault(name, fallback));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": \"" + value + "\" is not a non-negative integer");
    }
  }
}
