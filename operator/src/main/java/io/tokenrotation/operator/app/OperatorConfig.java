package io.tokenrotation.operator.app;

import io.tokenrotation.operator.api.Durations;
import io.tokenrotation.operator.connect.ConnectionPolicy;
import io.tokenrotation.operator.connect.allow.AudiencePolicy;
import io.tokenrotation.operator.connect.allow.EndpointAllowList;
import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The operator's settings, all from environment variables (README "Configuration" lists them).
 * Parsed once at start-up; a bad value stops the operator with a message naming the variable.
 */
public record OperatorConfig(
    Set<String> watchNamespaces,
    Optional<String> watchLabelSelector,
    String vaultKubernetesAudience,
    Duration serviceAccountTokenTtl,
    int reconcileThreads,
    int dynatraceMaxInFlight,
    int dynatraceRequestsPerMinute,
    Duration httpConnectTimeout,
    Duration httpReadTimeout,
    LeaderElection leaderElection,
    int metricsPort,
    Duration vaultCheckInterval,
    EndpointAllowList vaultAddresses,
    EndpointAllowList dynatraceUrls,
    AudiencePolicy vaultAudiences) {

  /**
   * What the connection resolver may do: the admin's allow-lists and the service-account token
   * lifetime.
   */
  public ConnectionPolicy connectionPolicy() {
    return new ConnectionPolicy(
        vaultAddresses, dynatraceUrls, vaultAudiences, serviceAccountTokenTtl);
  }

  /**
   * JOSDK leader election over a coordination.k8s.io Lease. Off by default (local runs); the
   * Deployment in deploy/ turns it on. {@code namespace} empty = let JOSDK infer it (the client's
   * namespace, in a pod the service account's). {@code identity}: POD_NAME when set, else host name
   * plus a random suffix (unique per process).
   */
  public record LeaderElection(
      boolean enabled,
      String leaseName,
      Optional<String> namespace,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {}

  /**
   * Requests in flight per Dynatrace environment. Dynatrace throttles by how many requests an
   * environment processes at once, a pool shared with every other API client there; four keep a
   * fleet rotating (a rotation is two or three Dynatrace calls of a few hundred milliseconds at
   * most) and leave the pool to the others.
   */
  public static final int DEFAULT_DYNATRACE_MAX_IN_FLIGHT = 4;

  /** The client-side Dynatrace limits, per environment. */
  public DynatraceLimits dynatraceLimits() {
    return new DynatraceLimits(dynatraceMaxInFlight, dynatraceRequestsPerMinute);
  }

  public static OperatorConfig defaults() {
    return fromEnvironment(Map.of());
  }

  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String audience = env.getOrDefault("VAULT_K8S_AUDIENCE", "vault");
    return new OperatorConfig(
        namespaces(env.getOrDefault("WATCH_NAMESPACES", "")),
        labelSelector(env.get("WATCH_LABEL_SELECTOR")),
        audience,
        duration(env, "SA_TOKEN_TTL", "10m"),
        integer(env, "RECONCILE_THREADS", 50),
        integer(env, "DYNATRACE_MAX_IN_FLIGHT", DEFAULT_DYNATRACE_MAX_IN_FLIGHT),
        integer(env, "DYNATRACE_RATE_LIMIT_PER_MINUTE", 0),
        duration(env, "HTTP_CONNECT_TIMEOUT", "10s"),
        duration(env, "HTTP_READ_TIMEOUT", "30s"),
        leaderElection(env),
        port(env, "METRICS_PORT", 8080),
        optionalDuration(env, "VAULT_DRIFT_CHECK_INTERVAL"),
        EndpointAllowList.parse("ALLOWED_VAULT_ADDRESSES", env.get("ALLOWED_VAULT_ADDRESSES")),
        EndpointAllowList.parse("ALLOWED_DYNATRACE_URLS", env.get("ALLOWED_DYNATRACE_URLS")),
        AudiencePolicy.of(audience, env.get("ALLOWED_VAULT_AUDIENCES"), "ALLOWED_VAULT_AUDIENCES"));
  }

  /**
   * This configuration with another drift-check interval (tests use one below the 1m an environment
   * may set).
   */
  public OperatorConfig withVaultCheckInterval(Duration interval) {
    return new OperatorConfig(
        watchNamespaces,
        watchLabelSelector,
        vaultKubernetesAudience,
        serviceAccountTokenTtl,
        reconcileThreads,
        dynatraceMaxInFlight,
        dynatraceRequestsPerMinute,
        httpConnectTimeout,
        httpReadTimeout,
        leaderElection,
        metricsPort,
        interval,
        vaultAddresses,
        dynatraceUrls,
        vaultAudiences);
  }

  /**
   * This configuration with one more allowed Vault address and Dynatrace URL: how the sandbox
   * allows exactly its simulators (and the tests theirs).
   */
  public OperatorConfig allowing(String vaultAddress, String dynatraceUrl) {
    return new OperatorConfig(
        watchNamespaces,
        watchLabelSelector,
        vaultKubernetesAudience,
        serviceAccountTokenTtl,
        reconcileThreads,
        dynatraceMaxInFlight,
        dynatraceRequestsPerMinute,
        httpConnectTimeout,
        httpReadTimeout,
        leaderElection,
        metricsPort,
        vaultCheckInterval,
        vaultAddresses.plus(vaultAddress),
        dynatraceUrls.plus(dynatraceUrl),
        vaultAudiences);
  }

  private static final String LABEL_KEY = "[A-Za-z0-9](?:[A-Za-z0-9_./-]*[A-Za-z0-9])?";
  private static final String LABEL_VALUE = "[A-Za-z0-9_.-]*";
  private static final String SELECTOR_TERM =
      "\\s*(?:!?"
          + LABEL_KEY
          + "|"
          + LABEL_KEY
          + "\\s*(?:==|=|!=)\\s*"
          + LABEL_VALUE
          + "|"
          + LABEL_KEY
          + "\\s+(?:in|notin)\\s*\\(\\s*"
          + LABEL_VALUE
          + "(?:\\s*,\\s*"
          + LABEL_VALUE
          + ")*\\s*\\))\\s*";

  /** Equality- and set-based terms, comma-separated, as {@code kubectl get -l} takes them. */
  private static final Pattern LABEL_SELECTOR =
      Pattern.compile(SELECTOR_TERM + "(?:," + SELECTOR_TERM + ")*");

  /**
   * {@code WATCH_LABEL_SELECTOR}: this operator (shard) acts only on the TokenRotations and
   * TokenCleanupPolicies whose labels match (docs/sharding.md). A Kubernetes label selector, as
   * {@code kubectl get -l} takes it; checked here for the characters a selector can hold, so a typo
   * fails at start instead of as an informer that never syncs.
   */
  static Optional<String> labelSelector(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String selector = value.trim();
    if (!LABEL_SELECTOR.matcher(selector).matches()) {
      throw new IllegalArgumentException(
          "WATCH_LABEL_SELECTOR: \""
              + selector
              + "\" is not a label selector (e.g. shard=a, or tier in (gold,silver))");
    }
    return Optional.of(selector);
  }

  private static LeaderElection leaderElection(Map<String, String> env) {
    String enabled = env.getOrDefault("LEADER_ELECTION", "false").trim();
    if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "LEADER_ELECTION: \"" + enabled + "\" is neither true nor false");
    }
    String namespace =
        firstNonBlank(env.get("LEADER_ELECTION_NAMESPACE"), env.get("POD_NAMESPACE"));
    String identity = firstNonBlank(env.get("POD_NAME"), null);
    if (identity == null) {
      identity = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
    Duration lease = duration(env, "LEADER_ELECTION_LEASE_DURATION", "15s");
    Duration renew = duration(env, "LEADER_ELECTION_RENEW_DEADLINE", "10s");
    Duration retry = duration(env, "LEADER_ELECTION_RETRY_PERIOD", "2s");
    if (!(retry.compareTo(renew) < 0 && renew.compareTo(lease) < 0)) {
      throw new IllegalArgumentException(
          "LEADER_ELECTION_*: need retry period < renew deadline < lease duration"
              + " (got "
              + retry
              + ", "
              + renew
              + ", "
              + lease
              + ")");
    }
    return new LeaderElection(
        Boolean.parseBoolean(enabled),
        firstNonBlank(env.get("LEADER_ELECTION_LEASE_NAME"), "token-rotation-operator"),
        Optional.ofNullable(namespace),
        identity,
        lease,
        renew,
        retry);
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a.trim() : b;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "operator";
    }
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    int port = integer(env, name, fallback);
    if (port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " is not a port number (0 = off)");
    }
    return port;
  }

  /** Empty = all namespaces. */
  private static Set<String> namespaces(String text) {
    return Arrays.stream(text.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  private static Duration duration(Map<String, String> env, String name, String fallback) {
    try {
      return Durations.parse(env.getOrDefault(name, fallback));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage());
    }
  }

  /**
   * Off (zero) when unset, empty, "0" or "off". The drift check costs one Vault read per resource
   * per interval, so it is opt-in: without it an idle resource costs no upstream call at all.
   */
  private static Duration optionalDuration(Map<String, String> env, String name) {
    String value = env.getOrDefault(name, "").trim();
    if (value.isEmpty() || value.equals("0") || value.equalsIgnoreCase("off")) {
      return Duration.ZERO;
    }
    Duration d = duration(env, name, value);
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(name + ": " + value + " is shorter than the minimum 1m");
    }
    return d;
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
      throw new IllegalArgumentException(
          name + ": \"" + value + "\" is not a non-negative integer");
    }
  }
}
