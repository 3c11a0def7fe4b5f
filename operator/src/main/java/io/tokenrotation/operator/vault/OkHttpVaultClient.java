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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * {@link VaultClient} over Vault's HTTP API with OkHttp: one instance per connection (address, namespace, auth,
 * CA), cached by {@link VaultClients}; thread-safe.
 */
public final class OkHttpVaultClient implements VaultClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

  private final OkHttpClient http;
  private final HttpUrl base;
  private final String namespace;
  private final VaultAuth auth;
  private final UpstreamCallListener listener;
  private final ConcurrentHashMap<String, KvVersion> mountVersions = new ConcurrentHashMap<>();
  private final VaultAuth.VaultLogin login = this::login;

  /**
   * An HTTP answer: the call it answers ("read secret/x"), status, parsed body ({@link MissingNode} when none, or an
   * error status's body that is not JSON) and headers we care about.
   */
  private record Answer(String call, int status, JsonNode body, String retryAfter) {
    /** The body, to read against the API; whatever does not fit is a malformed answer naming this call. */
    AnswerNode json() {
      return AnswerNode.root(body, problem -> VaultException.malformed(call, status, problem));
    }
  }

  public OkHttpVaultClient(OkHttpClient http, String address, String namespace, VaultAuth auth,
      UpstreamCallListener listener) {
    this.http = http;
    this.base = HttpUrl.get(address.replaceAll("/+$", "") + "/v1/");
    this.namespace = namespace == null ? "" : namespace;
    this.auth = auth;
    this.listener = listener;
  }

  // ---------------------------------------------------------------- KV

  @Override
  public KvVersion resolveVersion(String mount, String path, KvVersion requested) {
    if (requested != KvVersion.AUTO) {
      return requested;
    }
    KvVersion cached = mountVersions.get(mount);
    if (cached != null) {
      return cached;
    }
    Answer answer = send("detect-kv-version", mount, get(url("sys/internal/ui/mounts/" + mount + "/" + path)));
    KvVersion version;
    if (answer.status() == 404) {
      version = KvVersion.V1; // servers before the preflight endpoint existed: the CLI assumes v1
    } else {
      expectOk("detect-kv-version", mount, answer);
      version = VaultAnswers.mountVersion(answer.json());
    }
    mountVersions.put(mount, version);
    return version;
  }

  @Override
  public Optional<KvSecret> read(KvLocation location) {
    String where = location.display();
    Answer answer = send("read", where, get(dataUrl(location)));
    if (answer.status() == 404) {
      return Optional.empty(); // absent, or (KV v2) its current version is deleted or destroyed
    }
    expectOk("read", where, answer);
    if (location.version() == KvVersion.V2) {
      return Optional.of(VaultAnswers.secretV2(answer.json()));
    }
    return Optional.of(new KvSecret(strings(VaultAnswers.dataV1(answer.json()).json()), 0));
  }

  @Override
  public Optional<KvSecret> readVersion(KvLocation location, long version) {
    if (location.version() != KvVersion.V2 || version <= 0) {
      throw new IllegalArgumentException("only KV v2 keeps versions, numbered from 1");
    }
    String where = location.display();
    HttpUrl url = dataUrl(location).newBuilder().addQueryParameter("version", Long.toString(version)).build();
    Answer answer = send("read-version", where, get(url));
    if (answer.status() == 404) {
      return Optional.empty(); // never written, or its data is gone
    }
    expectOk("read-version", where, answer);
    KvSecret secret = VaultAnswers.secretV2(answer.json());
    if (secret.version() != version) {
      throw VaultException.malformed("read-version " + where, answer.status(), "asked for version " + version
          + ", got version " + secret.version());
    }
    return Optional.of(secret);
  }

  @Override
  public KvSecret writeField(KvLocation location, String field, SecretValue value, KvSecret expected) {
    String where = location.display();
    if (location.version() == KvVersion.V2) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("data").put(field, value.reveal());
      body.putObject("options").put("cas", expected.version());
      // Bytes, not a String: OkHttp would append "; charset=utf-8", and Vault answers 415 to any Content-Type that
      // is not exactly merge-patch (a parameter may or may not be tolerated depending on the version: don't risk it).
      Answer answer = send("patch", where, request(dataUrl(location)).patch(RequestBody.create(
          body.toString().getBytes(StandardCharsets.UTF_8), MERGE_PATCH)).build(), value);
      if (answer.status() == 400 || answer.status() == 404) {
        throw casFailureOrBadRequest("patch", location, expected.version(), answer);
      }
      expectOk("patch", where, answer);
      Map<String, String> data = new LinkedHashMap<>(expected.data());
      data.put(field, value.reveal());
      return new KvSecret(data, VaultAnswers.writtenVersion(answer.json()));
    }
    // KV v1 has no versions: re-read, compare with what the rotation read, then write the whole map back.
    Answer current = send("read", where, get(dataUrl(location)));
    if (current.status() == 404) {
      throw conflict(where);
    }
    expectOk("read", where, current);
    ObjectNode data = (ObjectNode) VaultAnswers.dataV1(current.json()).json();
    if (!strings(data).equals(expected.data())) {
      throw conflict(where);
    }
    data.put(field, value.reveal());
    Answer written = send("write", where, request(dataUrl(location)).put(RequestBody.create(data.toString(),
        JSON_TYPE)).build(), secretsIn(data));
    expectOk("write", where, written);
    return new KvSecret(strings(data), 0);
  }

  @Override
  public KvSecret createField(KvLocation location, String field, SecretValue value) {
    String where = location.display();
    if (location.version() == KvVersion.V2) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("data").put(field, value.reveal());
      body.putObject("options").put("cas", 0); // only if the key does not exist yet
      Answer answer = send("create", where, request(dataUrl(location)).post(RequestBody.create(body.toString(),
          JSON_TYPE)).build(), value);
      if (answer.status() == 400) {
        throw casFailureOrBadRequest("create", location, 0, answer);
      }
      expectOk("create", where, answer);
      return new KvSecret(Map.of(field, value.reveal()), VaultAnswers.writtenVersion(answer.json()));
    }
    Answer current = send("read", where, get(dataUrl(location)));
    if (current.status() != 404) {
      expectOk("read", where, current);
      throw conflict(where);
    }
    ObjectNode body = JSON.createObjectNode().put(field, value.reveal());
    expectOk("write", where, send("write", where, request(dataUrl(location)).put(RequestBody.create(body.toString(),
        JSON_TYPE)).build(), value));
    return new KvSecret(Map.of(field, value.reveal()), 0);
  }

  /**
   * A check-and-set write got 400 (or 404): Vault says "did not match" only in text, so instead of parsing it we ask
   * for the key's current version. Different from what we expected: someone else wrote it (a conflict). A key
   * without metadata (never written, or deleted with all its versions) has version 0. When the metadata cannot be
   * read (e.g. the policy lacks read on {@code <mount>/metadata/<path>}) we cannot tell, and say so with that error
   * rather than guessing either way.
   */
  private VaultException casFailureOrBadRequest(String operation, KvLocation location, long expected, Answer answer) {
    String where = location.display();
    Answer metadata = send("metadata", where, get(url(location.mount() + "/metadata/" + location.path())));
    if (metadata.status() != 404) {
      expectOk("metadata", where, metadata);
    }
    long current = metadata.status() == 404 ? 0 : VaultAnswers.currentVersion(metadata.json());
    if (current != expected) {
      return conflict(where);
    }
    if (answer.status() == 404) {
      return conflict(where); // same version, but it was deleted since we read it
    }
    return error(operation, where, answer);
  }

  private static VaultException conflict(String where) {
    return new VaultException(VaultException.Kind.CAS_CONFLICT, 400,
        "Vault write " + where + ": the secret changed since it was read (check-and-set)", null, null);
  }

  // ---------------------------------------------------------------- auth

  private VaultAuth.LoginResult login(String mountPath, Map<String, String> body) {
    ObjectNode json = JSON.createObjectNode();
    body.forEach(json::put);
    Request.Builder builder = new Request.Builder().url(url("auth/" + mountPath + "/login"))
        .post(RequestBody.create(json.toString(), JSON_TYPE)).header("X-Vault-Request", "true");
    if (!namespace.isEmpty()) {
      builder.header("X-Vault-Namespace", namespace);
    }
    // Every credential but the role name (which the user chose and may need to see in "invalid role name") is masked.
    SecretValue[] credentials = body.entrySet().stream().filter(e -> !"role".equals(e.getKey()))
        .map(e -> SecretValue.of(e.getValue())).toArray(SecretValue[]::new);
    Answer answer = execute("login", "auth/" + mountPath, builder.build(), credentials);
    if (answer.status() == 429 || answer.status() >= 500) {
      throw error("login", "auth/" + mountPath, answer); // sealed or unavailable: not a refused login
    }
    if (answer.status() < 200 || answer.status() >= 300) {
      throw new VaultException(VaultException.Kind.AUTH_FAILED, answer.status(), "Vault login at auth/" + mountPath
          + ": HTTP " + answer.status() + firstError(answer.body()), null, null);
    }
    // A success without a token is not a refused login (nothing for the user to fix in the role): malformed.
    return VaultAnswers.login(answer.json());
  }

  // ---------------------------------------------------------------- HTTP

  private HttpUrl dataUrl(KvLocation location) {
    return location.version() == KvVersion.V2 ? url(location.mount() + "/data/" + location.path())
        : url(location.mount() + "/" + location.path());
  }

  private HttpUrl url(String path) {
    return base.newBuilder().addPathSegments(path).build();
  }

  private Request get(HttpUrl url) {
    return request(url).get().build();
  }

  /** A request builder with token, namespace and X-Vault-Request; the token is fetched when the request is sent. */
  private Request.Builder request(HttpUrl url) {
    Request.Builder builder = new Request.Builder().url(url).header("X-Vault-Request", "true");
    if (!namespace.isEmpty()) {
      builder.header("X-Vault-Namespace", namespace);
    }
    return builder;
  }

  /**
   * Sends with the current token; on 403 with a login-based auth, logs in again once and retries. {@code sent}: the
   * secrets in the request body, masked (like the token) in any error text quoted from the answer.
   */
  private Answer send(String operation, String where, Request request, SecretValue... sent) {
    Answer answer = execute(operation, where, withToken(request), sent);
    if (answer.status() == 403 && auth.canRelogin()) {
      auth.invalidate();
      answer = execute(operation, where, withToken(request), sent);
    }
    return answer;
  }

  private Request withToken(Request request) {
    return request.newBuilder().header("X-Vault-Token", auth.token(login).reveal()).build();
  }

  private Answer execute(String operation, String where, Request request, SecretValue... sent) {
    String call = operation + " " + where;
    try (Response response = http.newCall(request).execute()) {
      listener.called("vault", operation, String.valueOf(response.code()));
      int status = response.code();
      if (status >= 300 && status < 400) {
        // Redirects are not followed (the token would go along): a login page in front of Vault, or a standby
        // node without request forwarding. Either way retried with backoff, not taken for a refusal.
        throw VaultException.malformed(call, status, "a redirect instead of an answer");
      }
      String text = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        // Error text may be quoted in an exception: strip what we sent. Success bodies hold secrets by design and
        // are never quoted.
        text = Redaction.mask(Redaction.mask(text, sent), tokenOf(request));
      }
      return new Answer(call, status, body(call, status, text), response.header("Retry-After"));
    } catch (InterruptedIOException e) { // socket and call time-outs
      listener.called("vault", operation, "timeout");
      throw new VaultException(VaultException.Kind.TIMEOUT, 0, "Vault " + operation + " " + where + ": timed out",
          null, null);
    } catch (IOException e) {
      listener.called("vault", operation, "error");
      throw new VaultException(VaultException.Kind.IO, 0, "Vault " + operation + " " + where + ": "
          + e.getClass().getSimpleName() + " " + Redaction.excerpt(e.getMessage(), 120), null, null);
    }
  }

  /**
   * Vault answers JSON or nothing (204). A success body that is not JSON (an HTML page from a proxy with 200) is
   * malformed even where the client reads no field: a proxy page to a write does not mean the secret was written. An
   * error body that is not JSON is ignored: the status says enough and keeps its kind (a 502 page stays transient).
   * Jackson's message quotes the input, which may hold a secret, so it is never passed on.
   */
  private static JsonNode body(String call, int status, String text) {
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

  private static SecretValue tokenOf(Request request) {
    String token = request.header("X-Vault-Token");
    return token == null ? null : SecretValue.of(token);
  }

  private static void expectOk(String operation, String where, Answer answer) {
    if (answer.status() < 200 || answer.status() >= 300) {
      throw error(operation, where, answer);
    }
  }

  private static VaultException error(String operation, String where, Answer answer) {
    int status = answer.status();
    VaultException.Kind kind = switch (status) {
      case 400 -> VaultException.Kind.BAD_REQUEST;
      case 403 -> VaultException.Kind.FORBIDDEN;
      case 404 -> VaultException.Kind.NOT_FOUND;
      case 429 -> VaultException.Kind.RATE_LIMITED;
      case 503 -> VaultException.Kind.SEALED;
      default -> status >= 500 ? VaultException.Kind.SERVER_ERROR : VaultException.Kind.BAD_REQUEST;
    };
    Duration retryAfter = null;
    if (answer.retryAfter() != null) {
      try {
        retryAfter = Duration.ofSeconds(Math.max(1, Math.min(300, Long.parseLong(answer.retryAfter().trim()))));
      } catch (NumberFormatException ignored) {
        // not seconds: the backoff decides
      }
    }
    return new VaultException(kind, status, "Vault " + operation + " " + where + ": HTTP " + status
        + firstError(answer.body()), retryAfter, null);
  }

  private static String firstError(JsonNode body) {
    JsonNode first = body.path("errors").path(0);
    return first.isTextual() ? " (" + Redaction.excerpt(first.textValue(), 160) + ")" : "";
  }

  /** Every value of a secret, to mask in error text: all fields of a KV secret are secret. */
  private static SecretValue[] secretsIn(JsonNode data) {
    return strings(data).values().stream().map(SecretValue::of).toArray(SecretValue[]::new);
  }

  /** A secret's data as strings (non-string JSON values as their JSON text). */
  static Map<String, String> strings(JsonNode data) {
    Map<String, String> map = new LinkedHashMap<>();
    data.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
        : e.getValue().toString()));
    return map;
  }

  @Override
  public String toString() {
    return "VaultClient[" + base + (namespace.isEmpty() ? "" : " ns=" + namespace) + "]";
  }
}
