package io.tokenrotation.sim.kubernetes;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Faults of the embedded API server, e.g. 409 Conflict on status writes: the next {@code times}
 * requests matching method + path regex get a Kubernetes {@code Status} error instead of being
 * served. Thread-safe.
 */
public final class KubeFaults {
  private record Rule(String method, Pattern path, int status, AtomicInteger remaining) {}

  private final List<Rule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  public void failNext(int times, String method, String pathRegex, int status) {
    rules.add(new Rule(method, Pattern.compile(pathRegex), status, new AtomicInteger(times)));
  }

  public void clear() {
    rules.clear();
  }

  /** How many requests got an injected fault so far. */
  public int injected() {
    return injected.get();
  }

  Optional<Integer> take(String method, String path) {
    for (Rule rule : rules) {
      if (("*".equals(rule.method()) || rule.method().equalsIgnoreCase(method))
          && rule.path().matcher(path).matches()
          && rule.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
        injected.incrementAndGet();
        return Optional.of(rule.status());
      }
    }
    return Optional.empty();
  }

  static String statusBody(int code) {
    String reason =
        switch (code) {
          case 409 -> "Conflict";
          case 404 -> "NotFound";
          case 403 -> "Forbidden";
          case 429 -> "TooManyRequests";
          case 500 -> "InternalError";
          case 503 -> "ServiceUnavailable";
          default -> "BadRequest";
        };
    String message =
        code == 409
            ? "Operation cannot be fulfilled: the object has been modified; please apply your"
                + " changes to the latest version and try again"
            : "injected fault";
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
        + message
        + "\",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }
}
