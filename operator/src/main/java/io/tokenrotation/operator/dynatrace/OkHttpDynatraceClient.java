package io.tokenrotation.operator.dynatrace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.http.Redaction;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link DynatraceClient} over the Dynatrace Environment API v2 with OkHttp. One instance per environment and
 * management token ({@link DynatraceClients} caches them); thread-safe.
 */
public final class OkHttpDynatraceClient implements DynatraceClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String LIST_FIELDS = "+scopes,+expirationDate,+lastUsedDate,+modifiedDate,+personalAccessToken";

  private final OkHttpClient http;
  private final HttpUrl tokensUrl;
  private final SecretValue managementToken;
  private final DynatraceRateLimiter limiter;
  private final UpstreamCallListener listener;

  public OkHttpDynatraceClient(OkHttpClient http, String environmentUrl, SecretValue managementToken,
      DynatraceRateLimiter limiter, UpstreamCallListener listener) {
    this.http = http;
    HttpUrl base = HttpUrl.get(environmentUrl.replaceAll("/+$", ""));
    this.tokensUrl = base.newBuilder().addPathSegments("api/v2/apiTokens").build();
    this.managementToken = managementToken;
    this.limiter = limiter;
    this.listener = listener;
  }

  @Override
  public ApiToken lookup(SecretValue token) {
    ObjectNode body = JSON.createObjectNode().put("token", token.reveal());
    JsonNode json = call("lookup", post(tokensUrl.newBuilder().addPathSegment("lookup").build(), body), 200, token);
    return parseToken(json);
  }

  @Override
  public CreatedToken create(String name, List<String> scopes, Instant expiration) {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    scopes.forEach(body.putArray("scopes")::add);
    if (expiration != null) {
      body.put("expirationDate", expiration.toString());
    }
    JsonNode json = call("create", post(tokensUrl, body), 201);
    String secret = json.path("token").asText(null);
    String id = json.path("id").asText(null);
    if (secret == null || id == null) {
      throw new DynatraceException(DynatraceException.Kind.SERVER_ERROR, 201,
          "Dynatrace create token: answer without id or token", null, null);
    }
    return new CreatedToken(id, SecretValue.of(secret), instant(json.path("expirationDate")));
  }

  @Override
  public Optional<ApiToken> get(String id) {
    Request request = authorized(tokensUrl.newBuilder().addPathSegment(id).build()).get().build();
    try {
      return Optional.of(parseToken(call("get", request, 200)));
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public List<ApiToken> list(String selector) {
    List<ApiToken> tokens = new ArrayList<>();
    HttpUrl.Builder first = tokensUrl.newBuilder().addQueryParameter("pageSize", "1000")
        .addQueryParameter("fields", LIST_FIELDS);
    if (selector != null && !selector.isBlank()) {
      first.addQueryParameter("apiTokenSelector", selector);
    }
    HttpUrl url = first.build();
    for (int page = 0; page < 10_000; page++) {
      JsonNode json = call("list", authorized(url).get().build(), 200);
      json.path("apiTokens").forEach(t -> tokens.add(parseToken(t)));
      String next = json.path("nextPageKey").asText(null);
      if (next == null || next.isEmpty() || "null".equals(next)) {
        return tokens;
      }
      // With nextPageKey the API accepts no other parameter.
      url = tokensUrl.newBuilder().addQueryParameter("nextPageKey", next).build();
    }
    throw new DynatraceException(DynatraceException.Kind.SERVER_ERROR, 200, "Dynatrace list tokens: too many pages",
        null, null);
  }

  @Override
  public boolean setEnabled(String id, boolean enabled) {
    ObjectNode body = JSON.createObjectNode().put("enabled", enabled);
    Request request = authorized(tokensUrl.newBuilder().addPathSegment(id).build())
        .put(RequestBody.create(body.toString(), JSON_TYPE)).build();
    return callAllowingNotFound(enabled ? "enable" : "disable", request);
  }

  @Override
  public boolean delete(String id) {
    Request request = authorized(tokensUrl.newBuilder().addPathSegment(id).build()).delete().build();
    return callAllowingNotFound("delete", request);
  }

  // ---------------------------------------------------------------- HTTP

  private boolean callAllowingNotFound(String operation, Request request) {
    try {
      call(operation, request, 204);
      return true;
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private Request post(HttpUrl url, JsonNode body) {
    return authorized(url).post(RequestBody.create(body.toString(), JSON_TYPE)).build();
  }

  private Request.Builder authorized(HttpUrl url) {
    return new Request.Builder().url(url).header("Authorization", "Api-Token " + managementToken.reveal())
        .header("Accept", "application/json; charset=utf-8");
  }

  private JsonNode call(String operation, Request request, int expected) {
    return call(operation, request, expected, null);
  }

  /** {@code sentSecret}: a secret in the request besides the management token, masked in any quoted error text. */
  private JsonNode call(String operation, Request request, int expected, SecretValue sentSecret) {
    Optional<Duration> wait = limiter.tryAcquire();
    if (wait.isPresent()) {
      listener.called("dynatrace", operation, "throttled");
      throw new DynatraceException(DynatraceException.Kind.RATE_LIMITED, 0,
          "Dynatrace " + operation + ": client-side rate limit reached", wait.get(), null);
    }
    try (Response response = http.newCall(request).execute()) {
      listener.called("dynatrace", operation, String.valueOf(response.code()));
      String body = response.body() == null ? "" : response.body().string();
      if (response.code() == expected || (response.isSuccessful() && expected != 204)) {
        return parse(operation, response.code(), body);
      }
      if (response.isSuccessful()) {
        return JSON.createObjectNode();
      }
      throw DynatraceErrors.from(operation, response.code(), Redaction.mask(body, managementToken, sentSecret),
          response.header("X-RateLimit-Reset"),
          response.header("Retry-After"));
    } catch (InterruptedIOException e) { // SocketTimeoutException and OkHttp call time-outs
      listener.called("dynatrace", operation, "timeout");
      throw new DynatraceException(DynatraceException.Kind.TIMEOUT, 0, "Dynatrace " + operation + ": timed out",
          null, null);
    } catch (IOException e) {
      listener.called("dynatrace", operation, "error");
      throw new DynatraceException(DynatraceException.Kind.IO, 0, "Dynatrace " + operation + ": "
          + e.getClass().getSimpleName() + " " + Redaction.excerpt(Redaction.mask(e.getMessage(), managementToken,
          sentSecret), 120), null, null);
    }
  }

  // ---------------------------------------------------------------- JSON

  /**
   * A success answer that is not JSON (a proxy page) is a server error. Jackson's message quotes the input, which may
   * hold a secret (a create answer), so the exception says only what happened.
   */
  private static JsonNode parse(String operation, int status, String body) {
    if (body.isEmpty()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new DynatraceException(DynatraceException.Kind.SERVER_ERROR, status, "Dynatrace " + operation
          + ": HTTP " + status + " but the answer is not JSON", null, null);
    }
  }

  static ApiToken parseToken(JsonNode t) {
    List<String> scopes = new ArrayList<>();
    t.path("scopes").forEach(s -> scopes.add(s.asText()));
    return new ApiToken(t.path("id").asText(null), t.path("name").asText(null), t.path("enabled").asBoolean(true),
        t.path("owner").asText(null), scopes, instant(t.path("creationDate")), instant(t.path("expirationDate")),
        instant(t.path("lastUsedDate")), instant(t.path("modifiedDate")),
        t.path("personalAccessToken").asBoolean(false));
  }

  /** ISO dates (with or without offset) or epoch millis; absent, null or unparsable = null. */
  static Instant instant(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (node.isNumber()) {
      return Instant.ofEpochMilli(node.asLong());
    }
    String text = node.asText();
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
