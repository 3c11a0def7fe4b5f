package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link DynatraceClient} per (environment, management token), reused across reconciles, all on
 * the shared OkHttp stack; one set of client-side limits (in flight, per minute) per environment
 * whatever the token.
 */
public final class DynatraceClients {
  private final HttpClients http;
  private final DynatraceLimits limits;
  private final Clock clock;
  private final UpstreamCallListener listener;
  private final ConcurrentHashMap<String, DynatraceClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, EnvironmentLimits> environments =
      new ConcurrentHashMap<>();

  public DynatraceClients(
      HttpClients http, DynatraceLimits limits, Clock clock, UpstreamCallListener listener) {
    this.http = http;
    this.limits = limits;
    this.clock = clock;
    this.listener = listener;
  }

  public DynatraceClient forEnvironment(String environmentUrl, SecretValue managementToken) {
    String environment = environmentUrl.replaceAll("/+$", "");
    return clients.computeIfAbsent(
        environment + "|" + managementToken.fingerprint(),
        key ->
            new OkHttpDynatraceClient(
                http.shared(), environment, managementToken, limitsOf(environment), listener));
  }

  /** The limits of one environment, shared by its clients of every management token. */
  EnvironmentLimits limitsOf(String environment) {
    return environments.computeIfAbsent(environment, e -> limits.forEnvironment(clock));
  }
}
