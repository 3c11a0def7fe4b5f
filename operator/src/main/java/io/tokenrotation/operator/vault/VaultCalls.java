package io.tokenrotation.operator.vault;

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
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The HTTP side of one Vault connection: URLs under {@code /v1/}, the namespace and {@code
 * X-Vault-Request} headers, the token (fetched per request, one re-login on 403), redirects
 * refused, time-outs and I/O errors typed, error text masked of whatever secret was sent, and an
 * HTTP status mapped to a {@link VaultException} kind.
 */
final class VaultCalls {
  static final ObjectMapper JSON = OkHttpVaultClient.JSON;
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final OkHttpClient http;
  private final HttpUrl base;
  private final String namespace;
  private final VaultAuth auth;
  private final UpstreamCallListener listener;

  /**
   * An HTTP answer: the call it answers ("read secret/x"), status, parsed body ({@link MissingNode}
   * when none, or an error status's body that is not JSON) and headers we care about.
   */
  record Answer(String call, int status, JsonNode body, String retryAfter) {
    /**
     * The body, to read against the API; whatever does not fit is a malformed answer naming this
     * call.
     */
    AnswerNode json() {
      return AnswerNode.root(body, problem -> VaultException.malformed(call, status, problem));
    }
  }

  VaultCalls(
      OkHttpClient http,
      HttpUrl base,
      String namespace,
      VaultAuth auth,
      UpstreamCallListener listener) {
    this.http = http;
    this.base = base;
    this.namespace = namespace;
    this.auth = auth;
    this.listener = listener;
  }

  HttpUrl dataUrl(KvLocation location) {
    return location.version() == KvVersion.V2
        ? url(location.mount() + "/data/" + location.path())
        : url(location.mount() + "/" + location.path());
  }

  HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  Request get(HttpUrl url) {
    return request(url).get().build();
  }

  /**
   * A request builder with token, namespace and X-Vault-Request; the token is fetched when the
   * request is sent.
   */
  Request.Builder request(HttpUrl url) {
    Request.Builder builder = new Request.Builder().url(url).header("X-Vault-Request", "true");
    if (!namespace.isEmpty()) {
      builder.header("X-Vault-Namespace", namespace);
    }
    return builder;
  }

  /**
   * Sends with the current token; on 403 with a login-based auth, logs in again once and retries.
   * {@code sent}: the secrets in the request body, masked (like the token) in any error text quoted
   * from the answer.
   */
  Answer send(String operation, String where, Request request, SecretValue... sent) {
    Answer answer = execute(operation, where, withToken(request), sent);
    if (answer.status() == 403 && auth.canRelogin()) {
      auth.invalidate();
      answer = execute(operation, where, withToken(request), sent);
    }
    return answer;
  }

  Request withToken(Request request) {
    return request.newBuilder().header("X-Vault-Token", auth.token(this::login).reveal()).build();
  }

  Answer execute(String operation, String where, Request request, SecretValue... sent) {
    String call = operation + " " + where;
    try (Response response = http.newCall(request).execute()) {
      listener.called("vault", operation, String.valueOf(response.code()));
      int status = response.code();
      if (status >= 300 && status < 400) {
        // Redirects are not followed (the token would go along): a login page in front of Vault, or
        // a standby
        // node without request forwarding. Either way retried with backoff, not taken for a
        // refusal.
        throw VaultException.malformed(call, status, "a redirect instead of an answer");
      }
      String text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        // Error text may be quoted in an exception: strip what we sent. Success bodies hold secrets
        // by design and
        // are never quoted.
        text = Redaction.mask(Redaction.mask(text, sent), tokenOf(request));
      }
      return new Answer(call, status, body(call, status, text), response.header("Retry-After"));
    } catch (InterruptedIOException e) { // socket and call time-outs
      listener.called("vault", operation, "timeout");
      throw new VaultException(
          VaultException.Kind.TIMEOUT,
          0,
          "Vault " + operation + " " + where + ": timed out",
          null,
          null);
    } catch (IOException e) {
      listener.called("vault", operation, "error");
      throw new VaultException(
          VaultException.Kind.IO,
          0,
          "Vault "
              + operation
              + " "
              + where
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + Redaction.excerpt(e.getMessage(), 120),
          null,
          null);
    }
  }

  /**
   * Vault answers JSON or nothing (204). A success body that is not JSON (an HTML page from a proxy
   * with 200) is malformed even where the client reads no field: a proxy page to a write does not
   * mean the secret was written. An error body that is not JSON is ignored: the status says enough
   * and keeps its kind (a 502 page stays transient). Jackson's message quotes the input, which may
   * hold a secret, so it is never passed on.
   */
  static JsonNode body(String call, int status, String text) {
    if (text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      if (status >= 200 && status < 300) {
        throw VaultException.malformed(call, status, "the answer is not JSON");
      }
      return MissingNode.getInstance();
    }
  }

  static SecretValue tokenOf(Request request) {
    String token = request.header("X-Vault-Token");
    return token == null ? null : SecretValue.of(token);
  }

  static void expectOk(String operation, String where, Answer answer) {
    if (answer.status() < 200 || answer.status() >= 300) {
      throw error(operation, where, answer);
    }
  }

  static VaultException error(String operation, String where, Answer answer) {
    int status = answer.status();
    VaultException.Kind kind =
        switch (status) {
          case 400 -> VaultException.Kind.BAD_REQUEST;
          case 403 -> VaultException.Kind.FORBIDDEN;
          case 404 -> VaultException.Kind.NOT_FOUND;
          case 429 -> VaultException.Kind.RATE_LIMITED;
          case 503 -> VaultException.Kind.SEALED;
          default ->
              status >= 500 ? VaultException.Kind.SERVER_ERROR : VaultException.Kind.BAD_REQUEST;
        };
    Duration retryAfter = null;
    if (answer.retryAfter() != null) {
      try {
        retryAfter =
            Duration.ofSeconds(
                Math.max(1, Math.min(300, Long.parseLong(answer.retryAfter().trim()))));
      } catch (NumberFormatException ignored) {
        // not seconds: the backoff decides
      }
    }
    return new VaultException(
        kind,
        status,
        "Vault " + operation + " " + where + ": HTTP " + status + firstError(answer.body()),
        retryAfter,
        null);
  }

  static String firstError(JsonNode body) {
    JsonNode first = body.path("errors").path(0);
    return first.isTextual() ? " (" + Redaction.excerpt(first.textValue(), 160) + ")" : "";
  }

  VaultAuth.LoginResult login(String mountPath, Map<String, String> body) {
    ObjectNode json = JSON.createObjectNode();
    body.forEach(json::put);
    Request.Builder builder =
        new Request.Builder()
            .url(url("auth/" + mountPath + "/login"))
            .post(RequestBody.create(json.toString(), JSON_TYPE))
            .header("X-Vault-Request", "true");
    if (!namespace.isEmpty()) {
      builder.header("X-Vault-Namespace", namespace);
    }
    // Every credential but the role name (which the user chose and may need to see in "invalid role
    // name") is masked.
    SecretValue[] credentials =
        body.entrySet().stream()
            .filter(e -> !"role".equals(e.getKey()))
            .map(e -> SecretValue.of(e.getValue()))
            .toArray(SecretValue[]::new);
    Answer answer = execute("login", "auth/" + mountPath, builder.build(), credentials);
    if (answer.status() == 429 || answer.status() >= 500) {
      throw error(
          "login", "auth/" + mountPath, answer); // sealed or unavailable: not a refused login
    }
    if (answer.status() < 200 || answer.status() >= 300) {
      throw new VaultException(
          VaultException.Kind.AUTH_FAILED,
          answer.status(),
          "Vault login at auth/"
              + mountPath
              + ": HTTP "
              + answer.status()
              + firstError(answer.body()),
          null,
          null);
    }
    // A success without a token is not a refused login (nothing for the user to fix in the role):
    // malformed.
    return VaultAnswers.login(answer.json());
  }
}
