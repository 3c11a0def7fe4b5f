package io.tokenrotation.operator.dynatrace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.http.AnswerNode;
import io.tokenrotation.operator.http.Redaction;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link DynatraceClient} over the Dynatrace Environment API v2 with OkHttp. One instance per
 * environment and management token ({@link DynatraceClients} caches them); thread-safe.
 */
public final class OkHttpDynatraceClient implements DynatraceClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final String LIST_FIELDS =
      "+scopes,+expirationDate,+lastUsedDate,+modifiedDate,+personalAccessToken";

  /**
   * 10 million tokens at 1000 a page: far beyond any environment, so more means the pages never
   * end.
   */
  private static final int MAX_PAGES = 10_000;

  private final OkHttpClient http;
  private final HttpUrl tokensUrl;
  private final SecretValue managementToken;
  private final EnvironmentLimits limits;
  private final UpstreamCallListener listener;

  public OkHttpDynatraceClient(
      OkHttpClient http,
      String environmentUrl,
      SecretValue managementToken,
      EnvironmentLimits limits,
      UpstreamCallListener listener) {
    this.http = http;
    HttpUrl base = HttpUrl.get(environmentUrl.replaceAll("/+$", ""));
    this.tokensUrl = base.newBuilder().addPathSegments("api/v2/apiTokens").build();
    this.managementToken = managementToken;
    this.limits = limits;
    this.listener = listener;
  }

  @Override
  public ApiToken lookup(SecretValue token) {
    ObjectNode body = JSON.createObjectNode().put("token", token.reveal());
    return TokenAnswers.token(
        call("lookup", post(tokensUrl.newBuilder().addPathSegment("lookup").build(), body), token));
  }

  @Override
  public CreatedToken create(String name, List<String> scopes, Instant expiration) {
    ObjectNode body = JSON.createObjectNode().put("name", name);
    scopes.forEach(body.putArray("scopes")::add);
    if (expiration != null) {
      body.put("expirationDate", expiration.toString());
    }
    try {
      return TokenAnswers.created(call("create", post(tokensUrl, body)));
    } catch (DynatraceException e) {
      if (e.kind() == DynatraceException.Kind.BAD_REQUEST) {
        List<String> refused =
            e.envelope().map(envelope -> RefusedScopes.of(envelope, scopes)).orElse(List.of());
        if (!refused.isEmpty()) {
          throw e.refusingScopes(refused);
        }
      }
      throw e;
    }
  }

  @Override
  public Optional<ApiToken> get(String id) {
    Request request = authorized(tokensUrl.newBuilder().addPathSegment(id).build()).get().build();
    try {
      return Optional.of(TokenAnswers.token(call("get", request)));
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
    HttpUrl.Builder first =
        tokensUrl
            .newBuilder()
            .addQueryParameter("pageSize", "1000")
            .addQueryParameter("fields", LIST_FIELDS);
    if (selector != null && !selector.isBlank()) {
      first.addQueryParameter("apiTokenSelector", selector);
    }
    HttpUrl url = first.build();
    Set<String> seenKeys = new HashSet<>();
    for (int page = 0; page < MAX_PAGES; page++) {
      AnswerNode answer = call("list", authorized(url).get().build());
      TokenAnswers.Page next = TokenAnswers.page(answer);
      tokens.addAll(next.tokens());
      if (next.nextPageKey().isEmpty()) {
        return tokens;
      }
      // A key seen before would page in a circle until MAX_PAGES: say so at once.
      if (!seenKeys.add(next.nextPageKey().get())) {
        throw answer.fail("nextPageKey repeats an earlier page's key");
      }
      // With nextPageKey the API accepts no other parameter.
      url =
          tokensUrl.newBuilder().addQueryParameter("nextPageKey", next.nextPageKey().get()).build();
    }
    throw DynatraceException.malformed("list", 200, "more than " + MAX_PAGES + " pages");
  }

  @Override
  public boolean setEnabled(String id, boolean enabled) {
    ObjectNode body = JSON.createObjectNode().put("enabled", enabled);
    Request request =
        authorized(tokensUrl.newBuilder().addPathSegment(id).build())
            .put(RequestBody.create(body.toString(), JSON_TYPE))
            .build();
    return callAllowingNotFound(enabled ? "enable" : "disable", request);
  }

  @Override
  public boolean delete(String id) {
    Request request =
        authorized(tokensUrl.newBuilder().addPathSegment(id).build()).delete().build();
    return callAllowingNotFound("delete", request);
  }

  // ---------------------------------------------------------------- HTTP

  private boolean callAllowingNotFound(String operation, Request request) {
    try {
      call(operation, request);
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
    return new Request.Builder()
        .url(url)
        .header("Authorization", "Api-Token " + managementToken.reveal())
        .header("Accept", "application/json; charset=utf-8");
  }

  private AnswerNode call(String operation, Request request) {
    return call(operation, request, null);
  }

  /**
   * Any 2xx is a success (a 200 where 201 is documented is no error); its body is returned for the
   * caller to read against the contract. {@code sentSecret}: a secret in the request besides the
   * management token, masked in any quoted error text.
   */
  private AnswerNode call(String operation, Request request, SecretValue sentSecret) {
    Optional<Duration> wait = limits.perMinute().tryAcquire();
    if (wait.isPresent()) {
      throw locallyThrottled(operation, "client-side rate limit reached", wait.get());
    }
    Exchange exchange = exchange(operation, request, sentSecret);
    listener.called("dynatrace", operation, String.valueOf(exchange.code()));
    if (exchange.code() >= 200 && exchange.code() < 300) {
      return answer(operation, exchange.code(), exchange.body());
    }
    if (exchange.code() >= 300 && exchange.code() < 400) {
      // The token API never redirects; a redirect is a login page or another site in front of it
      // (redirects are not followed, so the token never leaves for it).
      throw DynatraceException.malformed(
          operation, exchange.code(), "a redirect instead of an answer");
    }
    throw DynatraceErrors.from(
        operation,
        exchange.code(),
        Redaction.mask(exchange.body(), managementToken, sentSecret),
        exchange.rateLimitReset(),
        exchange.retryAfter());
  }

  /** What came back: read in full before the place in flight is freed, then judged outside it. */
  private record Exchange(int code, String body, String rateLimitReset, String retryAfter) {}

  /**
   * Sends the request in a place among those in flight, held until the answer is read: a place
   * stands for a request Dynatrace is working on, and is freed before the answer is parsed (the
   * next request need not wait for that).
   */
  private Exchange exchange(String operation, Request request, SecretValue sentSecret) {
    try (InFlightLimit.Place place =
            limits
                .inFlight()
                .enter()
                .orElseThrow(
                    () ->
                        locallyThrottled(
                            operation,
                            "no free place among the "
                                + limits.inFlight().max()
                                + " requests in flight to this environment",
                            InFlightLimit.RETRY_AFTER_REFUSAL));
        Response response = http.newCall(request).execute()) {
      return new Exchange(
          response.code(),
          response.body() == null ? "" : response.body().string(),
          response.header("X-RateLimit-Reset"),
          response.header("Retry-After"));
    } catch (InterruptedIOException e) { // SocketTimeoutException and OkHttp call time-outs
      listener.called("dynatrace", operation, "timeout");
      throw new DynatraceException(
          DynatraceException.Kind.TIMEOUT, 0, "Dynatrace " + operation + ": timed out", null, null);
    } catch (IOException e) {
      listener.called("dynatrace", operation, "error");
      throw new DynatraceException(
          DynatraceException.Kind.IO,
          0,
          "Dynatrace "
              + operation
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + Redaction.excerpt(Redaction.mask(e.getMessage(), managementToken, sentSecret), 120),
          null,
          null);
    }
  }

  /** Our own limits said "later": nothing was sent, so nothing failed upstream. */
  private DynatraceException locallyThrottled(String operation, String why, Duration retryAfter) {
    listener.called("dynatrace", operation, "throttled");
    return new DynatraceException(
        DynatraceException.Kind.RATE_LIMITED,
        0,
        "Dynatrace " + operation + ": " + why,
        retryAfter,
        null);
  }

  // ---------------------------------------------------------------- JSON

  /**
   * A success body: empty, or JSON; anything else (an HTML page from a proxy with 200) is a
   * malformed answer, also where no body is read (a 200 page to a DELETE does not mean the token is
   * gone). Jackson's message quotes the input, which may hold a secret (a create answer), so the
   * exception says only what happened.
   */
  private static AnswerNode answer(String operation, int status, String body) {
    Function<String, DynatraceException> malformed =
        problem -> DynatraceException.malformed(operation, status, problem);
    if (body.isBlank()) {
      return AnswerNode.root(MissingNode.getInstance(), malformed);
    }
    try {
      return AnswerNode.root(JSON.readTree(body), malformed);
    } catch (JsonProcessingException e) {
      throw malformed.apply("the answer is not JSON");
    }
  }
}
