package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link DynatraceClient} per (environment, management token), reused across reconciles, all on the shared
 * OkHttp stack; one rate limiter per environment whatever the token.
 */
public final class DynatraceClients {
  private final HttpClients http;
  private final int requestsPerMinute;
  private final Clock clock;
  private final UpstreamCallListener listener;
  private final ConcurrentHashMap<String, DynatraceClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DynatraceRateLimiter> limiters = new ConcurrentHashMap<>();

  public DynatraceClients(HttpClients http, int requestsPerMinute, Clock clock, UpstreamCallListener listener) {
    this.http = http;
    this.requestsPerMinute = requestsPerMinute;
    this.clock = clock;
    this.listener = listener;
  }

  public DynatraceClient forEnvironment(String environmentUrl, SecretValue managementToken) {
    String environment = environmentUrl.replaceAll("/+$", "");
    return clients.computeIfAbsent(environment + "|" + managementToken.fingerprint(),
        key -> new OkHttpDynatraceClient(http.shared(), environment, managementToken, limiter(environment), listener));
  }

  private DynatraceRateLimiter limiter(String environment) {
    return requestsPerMinute <= 0 ? DynatraceRateLimiter.UNLIMITED
        : limiters.computeIfAbsent(environment, e -> new DynatraceRateLimiter(requestsPerMinute, clock));
  }
}
