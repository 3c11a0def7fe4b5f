package io.tokenrotation.sim.http;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One injected fault: the next {@code times} requests whose method and path match get the fault
 * instead of the service's answer. {@code times < 0} means "until cleared".
 */
public final class FaultRule {
  /** What the client sees. */
  public enum Kind {
    /** An HTTP answer with the given status, headers and body. */
    RESPOND,
    /**
     * Hold the request without answering for {@code stall}, then close the connection (a client
     * time-out).
     */
    STALL,
    /** Close the connection at once without any answer. */
    DROP,
    /**
     * Keep the request (and its place in the service's capacity) until the test opens {@code
     * release}, then serve it normally: a test holds the service busy without sleeping.
     */
    HOLD
  }

  /**
   * A held request gives up waiting for its release after this long, so a forgetful test cannot
   * hang a server.
   */
  static final Duration MAX_HOLD = Duration.ofMinutes(1);

  private final String method;
  private final Pattern path;
  private final Kind kind;
  private final int status;
  private final String body;
  private final Map<String, String> headers;
  private final Duration stall;
  private final AtomicInteger remaining;
  private final CountDownLatch release;
  private final Semaphore held = new Semaphore(0);

  private FaultRule(
      String method,
      String pathRegex,
      Kind kind,
      int status,
      String body,
      Map<String, String> headers,
      Duration stall,
      int times) {
    this(method, pathRegex, kind, status, body, headers, stall, times, null);
  }

  private FaultRule(
      String method,
      String pathRegex,
      Kind kind,
      int status,
      String body,
      Map<String, String> headers,
      Duration stall,
      int times,
      CountDownLatch release) {
    this.method = method;
    this.path = Pattern.compile(pathRegex);
    this.kind = kind;
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
    this.stall = stall;
    this.remaining = new AtomicInteger(times);
    this.release = release;
  }

  /**
   * Answer {@code status} with {@code body} (null = the service's usual error body for that
   * status).
   */
  public static FaultRule respond(
      String method,
      String pathRegex,
      int status,
      String body,
      Map<String, String> headers,
      int times) {
    return new FaultRule(
        method, pathRegex, Kind.RESPOND, status, body, headers, Duration.ZERO, times);
  }

  public static FaultRule stall(String method, String pathRegex, Duration stall, int times) {
    return new FaultRule(method, pathRegex, Kind.STALL, 0, null, Map.of(), stall, times);
  }

  public static FaultRule drop(String method, String pathRegex, int times) {
    return new FaultRule(method, pathRegex, Kind.DROP, 0, null, Map.of(), Duration.ZERO, times);
  }

  /**
   * Holds the next {@code times} matching requests until {@code release} opens, then serves them.
   */
  public static FaultRule hold(String method, String pathRegex, CountDownLatch release, int times) {
    return new FaultRule(
        method,
        pathRegex,
        Kind.HOLD,
        0,
        null,
        Map.of(),
        Duration.ZERO,
        times,
        Objects.requireNonNull(release, "release"));
  }

  /**
   * For a HOLD rule: true once {@code count} requests are being held (waits at most {@code
   * timeout}).
   */
  public boolean awaitHeld(int count, Duration timeout) throws InterruptedException {
    if (!held.tryAcquire(count, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return false;
    }
    held.release(count); // the count stays readable for a later call
    return true;
  }

  /** A HOLD rule's request waits here for its release. */
  void holdUntilReleased() throws InterruptedException {
    held.release();
    release.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean matches(SimRequest request) {
    return ("*".equals(method) || method.equalsIgnoreCase(request.method()))
        && path.matcher(request.path()).matches();
  }

  /** Takes one use of this rule; false once it is spent. */
  boolean tryConsume() {
    while (true) {
      int left = remaining.get();
      if (left == 0) {
        return false;
      }
      if (left < 0 || remaining.compareAndSet(left, left - 1)) {
        return true;
      }
    }
  }

  boolean spent() {
    return remaining.get() == 0;
  }

  public Kind kind() {
    return kind;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public Duration stallDuration() {
    return stall;
  }

  public int remaining() {
    return remaining.get();
  }

  @Override
  public String toString() {
    return kind
        + " "
        + method
        + " "
        + path.pattern()
        + (kind == Kind.RESPOND ? " -> " + status : "")
        + " x"
        + remaining.get();
  }
}
