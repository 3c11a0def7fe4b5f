package io.tokenrotation.operator.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;

/**
 * {@link VaultClient} over Vault's HTTP API with OkHttp: one instance per connection (address,
 * namespace, auth, CA), cached by {@link VaultClients}; thread-safe.
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
  private final VaultCalls vaultCalls;

  public OkHttpVaultClient(
      OkHttpClient http,
      String address,
      String namespace,
      VaultAuth auth,
      UpstreamCallListener listener) {
    this.http = http;
    this.base = HttpUrl.get(address.replaceAll("/+$", "") + "/v1/");
    this.namespace = namespace == null ? "" : namespace;
    this.auth = auth;
    this.listener = listener;
    this.vaultCalls = new VaultCalls(http, base, this.namespace, auth, listener);
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
    VaultCalls.Answer answer =
        vaultCalls.send(
            "detect-kv-version",
            mount,
            vaultCalls.get(vaultCalls.url("sys/internal/ui/mounts/" + mount + "/" + path)));
    KvVersion version;
    if (answer.status() == 404) {
      version = KvVersion.V1; // servers before the preflight endpoint existed: the CLI assumes v1
    } else {
      VaultCalls.expectOk("detect-kv-version", mount, answer);
      version = VaultAnswers.mountVersion(answer.json());
    }
    mountVersions.put(mount, version);
    return version;
  }

  @Override
  public Optional<KvSecret> read(KvLocation location) {
    String where = location.display();
    VaultCalls.Answer answer =
        vaultCalls.send("read", where, vaultCalls.get(vaultCalls.dataUrl(location)));
    if (answer.status() == 404) {
      return Optional.empty(); // absent, or (KV v2) its current version is deleted or destroyed
    }
    VaultCalls.expectOk("read", where, answer);
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
    HttpUrl url =
        vaultCalls
            .dataUrl(location)
            .newBuilder()
            .addQueryParameter("version", Long.toString(version))
            .build();
    VaultCalls.Answer answer = vaultCalls.send("read-version", where, vaultCalls.get(url));
    if (answer.status() == 404) {
      return Optional.empty(); // never written, or its data is gone
    }
    VaultCalls.expectOk("read-version", where, answer);
    KvSecret secret = VaultAnswers.secretV2(answer.json());
    if (secret.version() != version) {
      throw VaultException.malformed(
          "read-version " + where,
          answer.status(),
          "asked for version " + version + ", got version " + secret.version());
    }
    return Optional.of(secret);
  }

  @Override
  public KvSecret writeField(
      KvLocation location, String field, SecretValue value, KvSecret expected) {
    String where = location.display();
    if (location.version() == KvVersion.V2) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("data").put(field, value.reveal());
      body.putObject("options").put("cas", expected.version());
      // Bytes, not a String: OkHttp would append "; charset=utf-8", and Vault answers 415 to any
      // Content-Type that
      // is not exactly merge-patch (a parameter may or may not be tolerated depending on the
      // version: don't risk it).
      VaultCalls.Answer answer =
          vaultCalls.send(
              "patch",
              where,
              vaultCalls
                  .request(vaultCalls.dataUrl(location))
                  .patch(
                      RequestBody.create(
                          body.toString().getBytes(StandardCharsets.UTF_8), MERGE_PATCH))
                  .build(),
              value);
      if (answer.status() == 400 || answer.status() == 404) {
        throw casFailureOrBadRequest("patch", location, expected.version(), answer);
      }
      VaultCalls.expectOk("patch", where, answer);
      Map<String, String> data = new LinkedHashMap<>(expected.data());
      data.put(field, value.reveal());
      return new KvSecret(data, VaultAnswers.writtenVersion(answer.json()));
    }
    // KV v1 has no versions: re-read, compare with what the rotation read, then write the whole map
    // back.
    VaultCalls.Answer current =
        vaultCalls.send("read", where, vaultCalls.get(vaultCalls.dataUrl(location)));
    if (current.status() == 404) {
      throw conflict(where);
    }
    VaultCalls.expectOk("read", where, current);
    ObjectNode data = (ObjectNode) VaultAnswers.dataV1(current.json()).json();
    if (!strings(data).equals(expected.data())) {
      throw conflict(where);
    }
    data.put(field, value.reveal());
    VaultCalls.Answer written =
        vaultCalls.send(
            "write",
            where,
            vaultCalls
                .request(vaultCalls.dataUrl(location))
                .put(RequestBody.create(data.toString(), JSON_TYPE))
                .build(),
            secretsIn(data));
    VaultCalls.expectOk("write", where, written);
    return new KvSecret(strings(data), 0);
  }

  @Override
  public KvSecret createField(KvLocation location, String field, SecretValue value) {
    String where = location.display();
    if (location.version() == KvVersion.V2) {
      ObjectNode body = JSON.createObjectNode();
      body.putObject("data").put(field, value.reveal());
      body.putObject("options").put("cas", 0); // only if the key does not exist yet
      VaultCalls.Answer answer =
          vaultCalls.send(
              "create",
              where,
              vaultCalls
                  .request(vaultCalls.dataUrl(location))
                  .post(RequestBody.create(body.toString(), JSON_TYPE))
                  .build(),
              value);
      if (answer.status() == 400) {
        throw casFailureOrBadRequest("create", location, 0, answer);
      }
      VaultCalls.expectOk("create", where, answer);
      return new KvSecret(
          Map.of(field, value.reveal()), VaultAnswers.writtenVersion(answer.json()));
    }
    VaultCalls.Answer current =
        vaultCalls.send("read", where, vaultCalls.get(vaultCalls.dataUrl(location)));
    if (current.status() != 404) {
      VaultCalls.expectOk("read", where, current);
      throw conflict(where);
    }
    ObjectNode body = JSON.createObjectNode().put(field, value.reveal());
    VaultCalls.expectOk(
        "write",
        where,
        vaultCalls.send(
            "write",
            where,
            vaultCalls
                .request(vaultCalls.dataUrl(location))
                .put(RequestBody.create(body.toString(), JSON_TYPE))
                .build(),
            value));
    return new KvSecret(Map.of(field, value.reveal()), 0);
  }

  /**
   * A check-and-set write got 400 (or 404): Vault says "did not match" only in text, so instead of
   * parsing it we ask for the key's current version. Different from what we expected: someone else
   * wrote it (a conflict). A key without metadata (never written, or deleted with all its versions)
   * has version 0. When the metadata cannot be read (e.g. the policy lacks read on {@code
   * <mount>/metadata/<path>}) we cannot tell, and say so with that error rather than guessing
   * either way.
   */
  private VaultException casFailureOrBadRequest(
      String operation, KvLocation location, long expected, VaultCalls.Answer answer) {
    String where = location.display();
    VaultCalls.Answer metadata =
        vaultCalls.send(
            "metadata",
            where,
            vaultCalls.get(vaultCalls.url(location.mount() + "/metadata/" + location.path())));
    if (metadata.status() != 404) {
      VaultCalls.expectOk("metadata", where, metadata);
    }
    long current = metadata.status() == 404 ? 0 : VaultAnswers.currentVersion(metadata.json());
    if (current != expected) {
      return conflict(where);
    }
    if (answer.status() == 404) {
      return conflict(where); // same version, but it was deleted since we read it
    }
    return VaultCalls.error(operation, where, answer);
  }

  private static VaultException conflict(String where) {
    return new VaultException(
        VaultException.Kind.CAS_CONFLICT,
        400,
        "Vault write " + where + ": the secret changed since it was read (check-and-set)",
        null,
        null);
  }

  /** Every value of a secret, to mask in error text: all fields of a KV secret are secret. */
  private static SecretValue[] secretsIn(JsonNode data) {
    return strings(data).values().stream().map(SecretValue::of).toArray(SecretValue[]::new);
  }

  /** A secret's data as strings (non-string JSON values as their JSON text). */
  static Map<String, String> strings(JsonNode data) {
    Map<String, String> map = new LinkedHashMap<>();
    data.fields()
        .forEachRemaining(
            e ->
                map.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return map;
  }

  @Override
  public String toString() {
    return "VaultClient[" + base + (namespace.isEmpty() ? "" : " ns=" + namespace) + "]";
  }
}
