package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimHandler;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Dynatrace-specific admin routes under {@code /__sim/} (the common ones, journal/faults/latency, live in
 * SimHttpServer): {@code GET tokens} (metadata only), {@code POST tokens} (seed; the one admin answer with a secret),
 * {@code POST ratelimit}. A seed may carry {@code creationDate} and {@code lastUsedDate} (stale tokens). Admin
 * routes bypass auth, faults and the journal.
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
        case "POST ratelimit" -> rateLimit(request.bodyJson());
        default -> SimResponse.json(404, Json.object().put("error", "unknown admin route " + request.path()));
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
    Instant expiration = body.hasNonNull("expirationDate")
        ? ExpirationParser.parse(body.get("expirationDate").asText(), simulator.store().now())
        : null;
    // Optional history (seeding stale tokens): creationDate and lastUsedDate, absolute or relative ("now-120d").
    Instant createdAt = body.hasNonNull("creationDate")
        ? ExpirationParser.parse(body.get("creationDate").asText(), simulator.store().now())
        : null;
    Instant lastUsed = body.hasNonNull("lastUsedDate")
        ? ExpirationParser.parse(body.get("lastUsedDate").asText(), simulator.store().now())
        : null;
    if (lastUsed != null && createdAt == null) {
      throw new IllegalArgumentException("lastUsedDate needs creationDate");
    }
    CreatedToken created = createdAt == null
        ? simulator.createToken(body.path("name").asText(null), scopes, body.path("owner").asText(null), expiration)
        : simulator.createToken(body.path("name").asText(null), scopes, body.path("owner").asText(null), expiration,
            createdAt, lastUsed);
    ObjectNode answer = Json.object().put("id", created.id()).put("token", created.token());
    if (expiration != null) {
      answer.put("expirationDate", ExpirationParser.format(expiration));
    }
    return SimResponse.json(201, answer);
  }

  private SimResponse rateLimit(JsonNode body) {
    if (!body.path("perMinute").canConvertToInt()) {
      throw new IllegalArgumentException("perMinute must be a number (0 = unlimited)");
    }
    simulator.rateLimitPerMinute(body.get("perMinute").asInt());
    return SimResponse.empty(204);
  }
}
