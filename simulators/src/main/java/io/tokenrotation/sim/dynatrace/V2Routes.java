package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * API v2 {@code /api/v2/apiTokens}: list, create, get, update, delete and lookup over the shared
 * store.
 */
final class V2Routes {
  static final String READ = "apiTokens.read";
  static final String WRITE = "apiTokens.write";

  private final ApiTokenStore store;

  /** Read per request: scopes can be retired while the simulator runs. */
  private final Supplier<ScopeCatalogue> catalogue;

  V2Routes(ApiTokenStore store, Supplier<ScopeCatalogue> catalogue) {
    this.store = store;
    this.catalogue = catalogue;
  }

  SimResponse list(SimRequest request) {
    Caller.authorise(request, store, READ);
    ListQuery query = ListQuery.from(request.queryParams(), store.now());
    ApiTokenSelector selector = ApiTokenSelector.parse(query.selector());
    FieldSelection fields = FieldSelection.parse(query.fields());
    Comparator<StoredToken> order = TokenSort.parse(query.sort());
    List<StoredToken> matching = new ArrayList<>();
    for (StoredToken token : store.all()) {
      if (selector.test(token) && lastUsedWithin(token, query.from(), query.to())) {
        matching.add(token);
      }
    }
    matching.sort(order);
    int end = Math.min(matching.size(), query.offset() + query.pageSize());
    ObjectNode body = Json.object();
    body.put("totalCount", matching.size());
    body.put("pageSize", query.pageSize());
    // The OpenAPI text says nextPageKey "has the value of null on the last page": send it as an
    // explicit null.
    body.put("nextPageKey", end < matching.size() ? query.next().encode() : null);
    ArrayNode tokens = body.putArray("apiTokens");
    for (int i = Math.min(query.offset(), end); i < end; i++) {
      tokens.add(TokenJson.apiToken(matching.get(i), fields));
    }
    return SimResponse.json(200, body);
  }

  /** from/to filter on last use; a never-used token is outside every window. */
  static boolean lastUsedWithin(StoredToken token, Instant from, Instant to) {
    if (from == null && to == null) {
      return true;
    }
    Instant used = token.lastUsedDate();
    return used != null
        && (from == null || !used.isBefore(from))
        && (to == null || !used.isAfter(to));
  }

  SimResponse create(SimRequest request) {
    StoredToken caller = Caller.authorise(request, store, WRITE);
    JsonNode body = RequestBodies.object(request);
    List<ConstraintViolation> violations = new ArrayList<>();
    String name = RequestBodies.requiredName(body, violations);
    List<String> scopes =
        RequestBodies.scopes(body.get("scopes"), true, false, catalogue.get(), violations);
    Boolean pat = RequestBodies.optionalBoolean(body, "personalAccessToken", violations);
    Instant now = store.now();
    Instant expiration = expiration(body.get("expirationDate"), now, violations);
    RequestBodies.throwIfAny(violations);
    // Whether the creator must hold the scopes it grants is not documented (UNCERTAIN); like the
    // real docs
    // describe, only apiTokens.write is required. The new token belongs to the caller's owner.
    IssuedToken created =
        store.create(name, scopes, caller.owner(), now, expiration, Boolean.TRUE.equals(pat));
    ObjectNode answer = Json.object();
    answer.put("id", created.id());
    answer.put("token", created.token());
    // Whether expirationDate is present for a never-expiring token is UNCERTAIN: leave it out, so
    // clients must
    // cope with its absence.
    if (expiration != null) {
      answer.put("expirationDate", ExpirationParser.format(expiration));
    }
    return SimResponse.json(201, answer);
  }

  private static Instant expiration(
      JsonNode value, Instant now, List<ConstraintViolation> violations) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      violations.add(
          ConstraintViolation.body("expirationDate", "must be a date string or UTC milliseconds"));
      return null;
    }
    try {
      Instant expiration = ExpirationParser.parse(value.asText(), now);
      if (!expiration.isAfter(now)) {
        violations.add(ConstraintViolation.body("expirationDate", "must be in the future"));
        return null;
      }
      return expiration;
    } catch (IllegalArgumentException e) {
      violations.add(ConstraintViolation.body("expirationDate", e.getMessage()));
      return null;
    }
  }

  SimResponse get(SimRequest request, String id) {
    Caller.authorise(request, store, READ);
    StoredToken token = store.byId(id).orElseThrow(() -> notFound(id));
    return SimResponse.json(200, TokenJson.apiToken(token, FieldSelection.all()));
  }

  SimResponse update(SimRequest request, String id) {
    StoredToken caller = Caller.authorise(request, store, WRITE);
    JsonNode body = RequestBodies.object(request);
    List<ConstraintViolation> violations = new ArrayList<>();
    String name = RequestBodies.optionalName(body, violations);
    Boolean enabled = RequestBodies.optionalBoolean(body, "enabled", violations);
    List<String> scopes =
        RequestBodies.scopes(body.get("scopes"), false, false, catalogue.get(), violations);
    RequestBodies.throwIfAny(violations);
    // 404 is not listed for PUT (UNCERTAIN); an unknown id answering 404 like GET/DELETE is the
    // safe assumption.
    StoredToken target = store.byId(id).orElseThrow(() -> notFound(id));
    if (target.id().equals(caller.id()) && Boolean.FALSE.equals(enabled)) {
      throw new ApiError(400, "The token used to authenticate the request cannot disable itself");
    }
    store.edit(target.id(), name, enabled, scopes).orElseThrow(() -> notFound(id));
    return SimResponse.empty(204);
  }

  SimResponse delete(SimRequest request, String idOrSecret) {
    StoredToken caller = Caller.authorise(request, store, WRITE);
    StoredToken target = store.byIdOrSecret(idOrSecret).orElseThrow(() -> notFound(idOrSecret));
    if (target.id().equals(caller.id())) {
      throw new ApiError(400, "The token used to authenticate the request cannot delete itself");
    }
    if (caller.personalAccessToken() && !caller.owner().equals(target.owner())) {
      throw new ApiError(403, "A personal access token can only delete tokens of its owner");
    }
    if (!store.delete(target.id())) {
      throw notFound(idOrSecret);
    }
    return SimResponse.empty(204);
  }

  SimResponse lookup(SimRequest request) {
    Caller.authenticate(request, store); // any valid token may look up; no scope needed
    StoredToken token =
        store
            .bySecret(lookupSecret(request))
            .orElseThrow(() -> new ApiError(404, "Token not found"));
    // A disabled or expired token in the body is UNCERTAIN: answer 200 with its real state
    // (enabled=false, a past
    // expirationDate), so a client must check those fields rather than treat "found" as "usable".
    return SimResponse.json(200, TokenJson.apiToken(token, FieldSelection.all()));
  }

  /** The {"token": ...} body shared by v1 and v2 lookup. */
  static String lookupSecret(SimRequest request) {
    JsonNode token = RequestBodies.object(request).get("token");
    if (token == null || token.isNull() || !token.isTextual() || token.asText().isEmpty()) {
      throw ApiError.violation(ConstraintViolation.body("token", "must not be null"));
    }
    return token.asText();
  }

  /** Never echoes a secret that was passed where an id belongs. */
  static ApiError notFound(String idOrSecret) {
    return new ApiError(404, "Token with ID " + TokenFormat.maskSecrets(idOrSecret) + " not found");
  }
}
