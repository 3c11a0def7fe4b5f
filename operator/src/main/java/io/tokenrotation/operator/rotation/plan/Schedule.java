package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.rotation.plan.schedule.CronExpression;
import io.tokenrotation.operator.rotation.plan.schedule.RotationWindows;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A validated spec.schedule. Parsing a cron and measuring its shortest period (a thousand runs) is
 * not free, and a spec is validated on every reconcile, so each distinct (cron, zone, window) is
 * worked out once and remembered: a fleet on one schedule shares one entry.
 */
public record Schedule(CronExpression cron, ZoneId zone, Duration window, Duration period) {
  private static final int REMEMBERED = 1024;
  private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

  /** A schedule, or what is wrong with it (field name included). */
  record Parsed(Optional<Schedule> schedule, Optional<String> problem) {}

  static Parsed parse(String cronText, String zoneText, Duration window) {
    String key = cronText + "\n" + zoneText + "\n" + window;
    Parsed known = PARSED.get(key);
    if (known != null) {
      return known;
    }
    Parsed parsed = parseNow(cronText, zoneText, window);
    if (PARSED.size() >= REMEMBERED) {
      PARSED.clear(); // many distinct schedules: start over rather than grow without bound
    }
    PARSED.put(key, parsed);
    return parsed;
  }

  private static Parsed parseNow(String cronText, String zoneText, Duration window) {
    CronExpression cron;
    try {
      cron = CronExpression.parse(cronText);
    } catch (IllegalArgumentException e) {
      return problem("spec.schedule.cron: " + e.getMessage());
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(zoneText);
    } catch (RuntimeException e) {
      return problem(
          "spec.schedule.timeZone: \""
              + zoneText
              + "\" is not an IANA time zone (e.g. Europe/Berlin)");
    }
    Optional<String> problem = RotationWindows.problem(cron, zone, window);
    if (problem.isPresent()) {
      return problem(
          (problem.get().startsWith("schedule") ? "spec.schedule.cron: " : "spec.schedule.window: ")
              + problem.get());
    }
    Duration period =
        new RotationWindows(cron, zone, null, Duration.ZERO)
            .shortestPeriod()
            .orElse(Duration.ofDays(365));
    return new Parsed(Optional.of(new Schedule(cron, zone, window, period)), Optional.empty());
  }

  private static Parsed problem(String text) {
    return new Parsed(Optional.empty(), Optional.of(text));
  }

  /**
   * This resource's windows: every start delayed by the same deterministic jitter, taken from
   * {@code resourceKey} (so a fleet on one schedule does not start in the same second).
   */
  RotationWindows windows(String resourceKey) {
    return new RotationWindows(cron, zone, window, RotationWindows.jitterFor(resourceKey, window));
  }

  /** The first run strictly after {@code after}, if any. */
  Optional<Instant> nextRun(Instant after) {
    return cron.nextAfter(after, zone);
  }
}
