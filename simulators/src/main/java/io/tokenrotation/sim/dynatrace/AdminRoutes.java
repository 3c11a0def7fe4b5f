package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimHandler;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Dynatrace-specific admin routes under {@code /__sim/} (the common ones, journal/faults/latency,
 * live in SimHttpServer): {@code GET tokens} (metadata only), {@code POST tokens} (seed; the one
 * admin answer with a secret), {@code GET|POST throttling}, {@code POST ratelimit} (the legacy
 * per-minute quota, for older scripts), {@code GET scopes}, {@code POST scopes/retire}. A seed may
 * carry {@code creationDate} and {@code lastUsedDate} (stale tokens). Admin routes bypass auth,
 * throttling, faults and the journal.
 */
final class AdminRoutes implements SimHandler {
  private final DynatraceSimulator simulator;

  AdminRoutes(DynatraceSimulator simulator) {
    this.simulator = simulator;
  }

  @Override
  public SimResponse handle(SimRequest request) {
    String route = request.method() + " " + request.path().substring("/__sim/".length());
    try {
      return switch (route) {
        case "GET tokens" -> tokens();
        case "POST tokens" -> seed(request.bodyJson());
        case "GET throttling" -> throttling();
        case "POST throttling" -> configureThrottling(request.bodyJson());
        case "POST ratelimit" -> legacyRateLimit(request.bodyJson());
        case "GET scopes" -> scopes();
        case "POST scopes/retire" -> retireScopes(request.bodyJson());
        default ->
            SimResponse.json(
                404, Json.object().put("error", "unknown admin route " + request.path()));
      };
    } catch (IOException e) {
      return SimResponse.json(400, Json.object().put("error", "malformed JSON"));
    } catch (IllegalArgumentException e) {
      return SimResponse.json(400, Json.object().put("error", e.getMessage()));
    }
  }

  private SimResponse tokens() {
    ArrayNode list = Json.array();
    simulator.store().all().forEach(t -> list.add(TokenJson.admin(t)));
    return SimResponse.json(200, Json.object().set("tokens", list));
  }

  private SimResponse seed(JsonNode body) {
    for (String field : new String[] {"name", "owner"}) {
      if (!body.path(field).isTextual()) {
        throw new IllegalArgumentException(field + " is required");
      }
    }
    if (!body.path("scopes").isArray()) {
      throw new IllegalArgumentException("scopes must be an array");
    }
    List<String> scopes = new ArrayList<>();
    body.path("scopes").forEach(s -> scopes.add(s.asText()));
    Instant expiration =
        body.hasNonNull("expirationDate")
            ? ExpirationParser.parse(body.get("expirationDate").asText(), simulator.store().now())
            : null;
    // Optional history (seeding stale tokens): creationDate and lastUsedDate, absolute or relative
    // ("now-120d").
    Instant createdAt =
        body.hasNonNull("creationDate")
            ? ExpirationParser.parse(body.get("creationDate").asText(), simulator.store().now())
            : null;
    Instant lastUsed =
        body.hasNonNull("lastUsedDate")
            ? ExpirationParser.parse(body.get("lastUsedDate").asText(), simulator.store().now())
            : null;
    if (lastUsed != null && createdAt == null) {
      throw new IllegalArgumentException("lastUsedDate needs creationDate");
    }
    IssuedToken created =
        createdAt == null
            ? simulator.createToken(
                body.path("name").asText(null), scopes, body.path("owner").asText(null), expiration)
            : simulator.createToken(
                body.path("name").asText(null),
                scopes,
                body.path("owner").asText(null),
                expiration,
                createdAt,
                lastUsed);
    ObjectNode answer = Json.object().put("id", created.id()).put("token", created.token());
    if (expiration != null) {
      answer.put("expirationDate", ExpirationParser.format(expiration));
    }
    return SimResponse.json(201, answer);
  }

  private SimResponse throttling() {
    Throttling current = simulator.throttling();
    ObjectNode body = Json.object();
    if (current instanceof Throttling.Capacity c) {
      CapacityLoad load = simulator.capacityLoad();
      body.put("mode", "capacity")
          .put("parallel", c.parallel())
          .put("queue", c.queue())
          .put("queueTimeoutMs", c.queueTimeout().toMillis())
          .put("processing", load.processing())
          .put("queued", load.queued())
          .put("refusedQueueFull", load.refusedQueueFull())
          .put("refusedQueueTimeout", load.refusedQueueTimeout());
    } else if (current instanceof Throttling.LegacyPerMinute l) {
      body.put("mode", "legacyPerMinute").put("perMinute", l.perMinute());
    } else {
      body.put("mode", "off");
    }
    return SimResponse.json(200, body);
  }

  /**
   * {@code {"mode":"capacity","parallel":4,"queue":2,"queueTimeoutMs":10000}} (time-out optional,
   * default the documented 10 s), {@code {"mode":"legacyPerMinute","perMinute":100}} or {@code
   * {"mode":"off"}}.
   */
  private SimResponse configureThrottling(JsonNode body) {
    String mode = body.path("mode").asText("");
    Throttling throttling =
        switch (mode) {
          case "off" -> Throttling.off();
          case "capacity" ->
              Throttling.capacity(
                  number(body, "parallel"),
                  number(body, "queue"),
                  body.has("queueTimeoutMs")
                      ? Duration.ofMillis(number(body, "queueTimeoutMs"))
                      : Throttling.DOCUMENTED_QUEUE_TIMEOUT);
          case "legacyPerMinute" -> Throttling.legacyPerMinute(number(body, "perMinute"));
          default ->
              throw new IllegalArgumentException("mode must be off, capacity or legacyPerMinute");
        };
    simulator.throttling(throttling);
    return SimResponse.empty(204);
  }

  /** The legacy per-minute quota with X-RateLimit headers; 0 switches throttling off. */
  private SimResponse legacyRateLimit(JsonNode body) {
    int perMinute = number(body, "perMinute");
    simulator.throttling(perMinute == 0 ? Throttling.off() : Throttling.legacyPerMinute(perMinute));
    return SimResponse.empty(204);
  }

  private static int number(JsonNode body, String field) {
    if (!body.path(field).canConvertToInt()) {
      throw new IllegalArgumentException(field + " must be a number");
    }
    return body.get(field).asInt();
  }

  private SimResponse scopes() {
    ScopeCatalogue catalogue = simulator.scopes();
    ObjectNode body = Json.object();
    catalogue.assignableScopes().forEach(body.putArray("assignable")::add);
    catalogue.retiredScopes().forEach(body.putArray("retired")::add);
    return SimResponse.json(200, body);
  }

  /** {@code {"scopes":["analyzers.read"]}}: tokens keep them, new ones cannot get them. */
  private SimResponse retireScopes(JsonNode body) {
    if (!body.path("scopes").isArray()) {
      throw new IllegalArgumentException("scopes must be an array");
    }
    List<String> scopes = new ArrayList<>();
    body.get("scopes").forEach(s -> scopes.add(s.asText()));
    simulator.retireScopes(scopes);
    return SimResponse.empty(204);
  }
}
