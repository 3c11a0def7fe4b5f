package io.tokenrotation.sim.http;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/** Faults and latency a test or the benchmark injects into one simulator. Thread-safe. */
public final class FaultInjector {
  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private volatile Duration minLatency = Duration.ZERO;
  private volatile Duration maxLatency = Duration.ZERO;

  /** Adds a rule; rules are tried in the order they were added. */
  public FaultRule add(FaultRule rule) {
    rules.add(rule);
    return rule;
  }

  /**
   * The next {@code times} requests matching method + path regex get {@code status} and the
   * service's usual error.
   */
  public FaultRule failNext(int times, String method, String pathRegex, int status) {
    return add(FaultRule.respond(method, pathRegex, status, null, Map.of(), times));
  }

  public FaultRule failNext(
      int times,
      String method,
      String pathRegex,
      int status,
      String body,
      Map<String, String> headers) {
    return add(FaultRule.respond(method, pathRegex, status, body, headers, times));
  }

  /**
   * The next {@code times} matching requests get exactly this answer, whatever the status (a 200
   * too): reproduces an upstream that answers, but not what its API says ({@code 200 {}} to a
   * lookup, an HTML login page). The body is sent byte for byte ("" for none).
   */
  public FaultRule answerNext(
      int times, String method, String pathRegex, int status, String contentType, String body) {
    Objects.requireNonNull(body, "body (\"\" for none)");
    return add(
        FaultRule.respond(
            method, pathRegex, status, body, Map.of("Content-Type", contentType), times));
  }

  public FaultRule stallNext(int times, String method, String pathRegex, Duration stall) {
    return add(FaultRule.stall(method, pathRegex, stall, times));
  }

  /**
   * The next {@code times} matching requests are held (in the service's capacity, if it has one)
   * until {@code release} opens, then served normally; {@link FaultRule#awaitHeld} says when they
   * have arrived.
   */
  public FaultRule holdNext(int times, String method, String pathRegex, CountDownLatch release) {
    return add(FaultRule.hold(method, pathRegex, release, times));
  }

  public FaultRule dropNext(int times, String method, String pathRegex) {
    return add(FaultRule.drop(method, pathRegex, times));
  }

  /** Every request waits this long before it is handled. */
  public void fixedLatency(Duration latency) {
    randomLatency(latency, latency);
  }

  /** Every request waits a uniformly random time in [min, max] before it is handled. */
  public void randomLatency(Duration min, Duration max) {
    if (max.compareTo(min) < 0) {
      throw new IllegalArgumentException("max latency below min latency");
    }
    this.minLatency = min;
    this.maxLatency = max;
  }

  public void clear() {
    rules.clear();
    fixedLatency(Duration.ZERO);
  }

  public List<FaultRule> rules() {
    rules.removeIf(FaultRule::spent);
    return List.copyOf(rules);
  }

  /** The rule that takes this request, if any (consuming one use of it). */
  Optional<FaultRule> take(SimRequest request) {
    for (FaultRule rule : rules) {
      if (rule.matches(request) && rule.tryConsume()) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }

  Duration nextLatency() {
    long min = minLatency.toNanos();
    long max = maxLatency.toNanos();
    if (max == 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos(min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1));
  }
}
