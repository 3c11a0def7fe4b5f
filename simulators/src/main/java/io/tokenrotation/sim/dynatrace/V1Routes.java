package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The deprecated Tokens API v1 {@code /api/v1/tokens} over the same store as v2: one token is
 * visible and usable through both. Caller scope {@code TenantTokenManagement}; lookup needs only a
 * valid token. Unlike v2, v1 forbids any update of the calling token.
 */
final class V1Routes {
  static final String SCOPE = "TenantTokenManagement";
  static final int DEFAULT_LIMIT = 1000;
  static final int MAX_LIMIT = 1_000_000;

  private final ApiTokenStore store;

  /** Read per request: scopes can be retired while the simulator runs. */
  private final Supplier<ScopeCatalogue> catalogue;

  V1Routes(ApiTokenStore store, Supplier<ScopeCatalogue> catalogue) {
    this.store = store;
    this.catalogue = catalogue;
  }

  SimResponse list(SimRequest request) {
    Caller.authorise(request, store, SCOPE);
    int limit = limit(request.query("limit"));
    String user = request.query("user");
    List<String> permissions = request.queryAll("permissions");
    Instant from = millis("from", request.query("from"));
    Instant to = millis("to", request.query("to"));
    ObjectNode body = Json.object();
    ArrayNode values = body.putArray("values");
    for (StoredToken token : store.all()) {
      if (values.size() >= limit) {
        break;
      }
      if ((user == null || user.equals(token.owner()))
          && token.scopes().containsAll(permissions)
          && V2Routes.lastUsedWithin(token, from, to)) {
        values.addObject().put("id", token.id()).put("name", token.name());
      }
    }
    return SimResponse.json(200, body);
  }

  private static int limit(String value) {
    if (value == null || value.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      long limit = Long.parseLong(value.trim());
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return (int) limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.violation(
        ConstraintViolation.query("limit", "must be between 1 and " + MAX_LIMIT));
  }

  private static Instant millis(String name, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      throw ApiError.violation(
          ConstraintViolation.query(name, "must be a timestamp in UTC milliseconds"));
    }
  }

  SimResponse create(SimRequest request) {
    StoredToken caller = Caller.authorise(request, store, SCOPE);
    JsonNode body = RequestBodies.object(request);
    List<ConstraintViolation> violations = new ArrayList<>();
    String name = RequestBodies.requiredName(body, violations);
    List<String> scopes =
        RequestBodies.scopes(body.get("scopes"), true, true, catalogue.get(), violations);
    Duration expiresIn = expiresIn(body.get("expiresIn"), violations);
    RequestBodies.throwIfAny(violations);
    Instant now = store.now();
    Instant expiration = expiresIn == null ? null : now.plus(expiresIn);
    IssuedToken created = store.create(name, scopes, caller.owner(), now, expiration, false);
    return SimResponse.json(201, Json.object().put("token", created.token()));
  }

  /**
   * {@code {value, unit}}; unit DAYS|HOURS|MINUTES|SECONDS|MILLIS, MILLIS when absent; value must
   * be positive.
   */
  private static Duration expiresIn(JsonNode node, List<ConstraintViolation> violations) {
    if (node == null || node.isNull()) {
      return null;
    }
    JsonNode value = node.get("value");
    if (!node.isObject() || value == null || !value.isIntegralNumber()) {
      violations.add(ConstraintViolation.body("expiresIn.value", "must not be null"));
      return null;
    }
    if (value.asLong() <= 0) {
      violations.add(ConstraintViolation.body("expiresIn.value", "must be greater than 0"));
      return null;
    }
    String unit = node.path("unit").isTextual() ? node.get("unit").asText() : "MILLIS";
    ChronoUnit chrono =
        switch (unit) {
          case "DAYS" -> ChronoUnit.DAYS;
          case "HOURS" -> ChronoUnit.HOURS;
          case "MINUTES" -> ChronoUnit.MINUTES;
          case "SECONDS" -> ChronoUnit.SECONDS;
          case "MILLIS" -> ChronoUnit.MILLIS;
          default -> null;
        };
    if (chrono == null) {
      violations.add(
          ConstraintViolation.body(
              "expiresIn.unit", "must be one of DAYS, HOURS, MINUTES, SECONDS, MILLIS"));
      return null;
    }
    try {
      return Duration.of(value.asLong(), chrono);
    } catch (ArithmeticException e) {
      violations.add(ConstraintViolation.body("expiresIn.value", "is too large"));
      return null;
    }
  }

  SimResponse get(SimRequest request, String id) {
    Caller.authorise(request, store, SCOPE);
    return SimResponse.json(
        200, TokenJson.tokenMetadata(store.byId(id).orElseThrow(() -> V2Routes.notFound(id))));
  }

  SimResponse update(SimRequest request, String id) {
    StoredToken caller = Caller.authorise(request, store, SCOPE);
    JsonNode body = RequestBodies.object(request);
    List<ConstraintViolation> violations = new ArrayList<>();
    String name = RequestBodies.optionalName(body, violations);
    Boolean revoked = RequestBodies.optionalBoolean(body, "revoked", violations);
    List<String> scopes =
        RequestBodies.scopes(body.get("scopes"), false, true, catalogue.get(), violations);
    RequestBodies.throwIfAny(violations);
    StoredToken target = store.byId(id).orElseThrow(() -> V2Routes.notFound(id));
    if (target.id().equals(caller.id())) {
      throw new ApiError(400, "The token used to authenticate the request cannot update itself");
    }
    store
        .edit(target.id(), name, revoked == null ? null : !revoked, scopes)
        .orElseThrow(() -> V2Routes.notFound(id));
    return SimResponse.empty(204);
  }

  SimResponse delete(SimRequest request, String idOrSecret) {
    StoredToken caller = Caller.authorise(request, store, SCOPE);
    StoredToken target =
        store.byIdOrSecret(idOrSecret).orElseThrow(() -> V2Routes.notFound(idOrSecret));
    if (target.id().equals(caller.id())) {
      throw new ApiError(400, "The token used to authenticate the request cannot delete itself");
    }
    if (!store.delete(target.id())) {
      throw V2Routes.notFound(idOrSecret);
    }
    return SimResponse.empty(204);
  }

  SimResponse lookup(SimRequest request) {
    Caller.authenticate(request, store);
    StoredToken token =
        store
            .bySecret(V2Routes.lookupSecret(request))
            .orElseThrow(() -> new ApiError(404, "Token not found"));
    return SimResponse.json(200, TokenJson.tokenMetadata(token));
  }
}
