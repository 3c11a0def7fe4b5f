package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * KV secrets engine version 2 (reference §1), faithful to hashicorp/vault-plugin-secrets-kv: data/,
 * metadata/, delete/, undelete/, destroy/ and config. One lock per mount keeps CAS and versioning
 * atomic; the simulator never needs more throughput than that gives.
 */
final class KvV2Engine implements KvEngine {
  static final int DEFAULT_MAX_VERSIONS = 10;
  static final String CAS_MISMATCH = "check-and-set parameter did not match the current version";
  static final String CAS_REQUIRED = "check-and-set parameter required for this call";
  static final String CAS_UNPARSABLE = "error parsing check-and-set parameter";
  static final String NO_DATA = "no data provided";

  private final Clock clock;
  private final TreeMap<String, KvV2Key> keys = new TreeMap<>();
  private int maxVersions;
  private boolean casRequired;
  private Duration deleteVersionAfter = Duration.ZERO;

  KvV2Engine(Clock clock) {
    this.clock = clock;
  }

  @Override
  public int version() {
    return 2;
  }

  @Override
  public synchronized SimResponse handle(VaultCall call, String rest) {
    Operation op = call.operation();
    if (rest.equals("config")) {
      return config(call);
    }
    int slash = rest.indexOf('/');
    String area = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    boolean validKey = !key.isEmpty() && !key.endsWith("/");
    switch (area) {
      case "data" -> {
        if (validKey) {
          switch (op) {
            case READ -> {
              return readData(call, key);
            }
            case WRITE -> {
              return writeData(call, key);
            }
            case PATCH -> {
              return patchData(call, key);
            }
            case DELETE -> {
              return deleteLatest(call, key);
            }
            default -> {}
          }
        }
      }
      case "metadata" -> {
        if (op == Operation.LIST) {
          return list(call, key);
        }
        if (validKey) {
          switch (op) {
            case READ -> {
              return readMetadata(call, key);
            }
            case WRITE -> {
              return writeMetadata(call, key);
            }
            case PATCH -> {
              return patchMetadata(call, key);
            }
            case DELETE -> {
              return deleteMetadata(call, key);
            }
            default -> {}
          }
        }
      }
      case "delete", "undelete", "destroy" -> {
        if (validKey && op == Operation.WRITE) {
          return versionsOperation(call, area, key);
        }
      }
      default -> {}
    }
    return invalidPath(call);
  }

  // ---- data/ ----

  private SimResponse readData(VaultCall call, String key) {
    call.require("read");
    KvV2Key meta = keys.get(key);
    if (meta == null) {
      throw VaultApiException.notFound();
    }
    long wanted = parseVersionQuery(call.query("version"), meta.currentVersion);
    KvV2Key.Version version = meta.versions.get(wanted);
    if (version == null) {
      throw VaultApiException.notFound(); // never written, or pruned by max_versions
    }
    ObjectNode data = Json.object();
    Instant now = call.now();
    if (version.live(now)) {
      data.set("data", version.data.deepCopy());
      data.set("metadata", versionMetadata(meta, version));
      return envelope().data(data).ok();
    }
    // Soft-deleted or destroyed: 404, but with the full envelope so clients can tell "deleted" from
    // "absent".
    data.putNull("data");
    data.set("metadata", versionMetadata(meta, version));
    return envelope().data(data).respond(404);
  }

  private static long parseVersionQuery(String text, long current) {
    if (text == null || text.isBlank()) {
      return current;
    }
    try {
      long v = Long.parseLong(text.trim());
      return v <= 0 ? current : v;
    } catch (NumberFormatException e) {
      throw VaultApiException.badRequest("error parsing version: " + text);
    }
  }

  private SimResponse writeData(VaultCall call, String key) {
    KvV2Key meta = keys.get(key);
    call.requireWrite(meta != null);
    JsonNode body = call.body();
    JsonNode data = body.get("data");
    if (data == null || data.isNull()) {
      throw VaultApiException.badRequest(NO_DATA);
    }
    if (!data.isObject()) {
      throw VaultApiException.badRequest("error parsing data: expected a JSON object");
    }
    checkCas(body, meta);
    if (meta == null) {
      meta = new KvV2Key(call.now());
      keys.put(key, meta);
    }
    KvV2Key.Version version =
        meta.addVersion(
            ((ObjectNode) data).deepCopy(), call.now(), maxVersions, deleteVersionAfter);
    return envelope().data(versionMetadata(meta, version)).ok();
  }

  private SimResponse patchData(VaultCall call, String key) {
    call.require("patch");
    KvV2Key meta = keys.get(key);
    if (meta == null || meta.currentVersion == 0 || meta.current() == null) {
      return SimResponse.empty(
          404); // the KV plugin answers a patch of a missing key with an empty 404
    }
    KvV2Key.Version current = meta.current();
    if (!current.live(call.now())) {
      return envelope().data(versionMetadata(meta, current)).respond(404);
    }
    JsonNode body = call.body();
    JsonNode patch = body.get("data");
    if (patch == null || patch.isNull()) {
      throw VaultApiException.badRequest(NO_DATA);
    }
    if (!patch.isObject()) {
      throw VaultApiException.badRequest("error parsing data: expected a JSON object");
    }
    checkCas(body, meta);
    ObjectNode merged = (ObjectNode) mergePatch(current.data.deepCopy(), patch);
    KvV2Key.Version version = meta.addVersion(merged, call.now(), maxVersions, deleteVersionAfter);
    return envelope().data(versionMetadata(meta, version)).ok();
  }

  /** RFC 7386 JSON merge patch: objects merge recursively, null removes, anything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }

  /**
   * validateCheckAndSetOption: cas_required from the mount or the key, and cas == current_version.
   */
  private void checkCas(JsonNode body, KvV2Key meta) {
    JsonNode casNode = body.path("options").get("cas");
    boolean required = casRequired || (meta != null && meta.casRequired);
    if (casNode == null || casNode.isNull()) {
      if (required) {
        throw VaultApiException.badRequest(CAS_REQUIRED);
      }
      return;
    }
    long cas;
    if (casNode.isIntegralNumber()) {
      cas = casNode.asLong();
    } else if (casNode.isTextual() && casNode.asText().trim().matches("\\d+")) {
      cas = Long.parseLong(casNode.asText().trim()); // the Go field parser accepts "3" for an int
    } else {
      throw VaultApiException.badRequest(CAS_UNPARSABLE);
    }
    long current = meta == null ? 0 : meta.currentVersion;
    if (cas != current) {
      throw VaultApiException.badRequest(CAS_MISMATCH);
    }
  }

  private SimResponse deleteLatest(VaultCall call, String key) {
    call.require("delete");
    KvV2Key meta = keys.get(key);
    if (meta != null) {
      KvV2Key.Version current = meta.current();
      if (current != null && current.live(call.now())) {
        current.deletionTime = call.now();
      }
    }
    return SimResponse.empty(204);
  }

  // ---- delete/, undelete/, destroy/ ----

  private SimResponse versionsOperation(VaultCall call, String area, String key) {
    call.require("update");
    List<Long> numbers = parseVersions(call.body().get("versions"));
    if (numbers.isEmpty()) {
      // The plugin really spells these two differently.
      throw VaultApiException.badRequest(
          "destroy".equals(area) ? "no version number provided" : "No version number provided");
    }
    KvV2Key meta = keys.get(key);
    if (meta == null) {
      return SimResponse.empty(204);
    }
    Instant now = call.now();
    for (long n : numbers) {
      KvV2Key.Version v = meta.versions.get(n);
      if (v == null) {
        continue;
      }
      switch (area) {
        case "delete" -> {
          if (!v.destroyed && !v.deleted(now)) {
            v.deletionTime = now;
          }
        }
        case "undelete" -> {
          if (!v.destroyed) {
            v.deletionTime = null;
          }
        }
        default -> {
          v.destroyed = true;
          v.data = null;
        }
      }
    }
    return SimResponse.empty(204);
  }

  private static List<Long> parseVersions(JsonNode node) {
    List<Long> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isTextual()) {
      for (String part : node.asText().split(",")) {
        if (!part.isBlank()) {
          out.add(parseVersion(part.trim()));
        }
      }
      return out;
    }
    if (node.isArray()) {
      for (JsonNode item : node) {
        out.add(item.isIntegralNumber() ? item.asLong() : parseVersion(item.asText()));
      }
      return out;
    }
    if (node.isIntegralNumber()) {
      out.add(node.asLong());
    }
    return out;
  }

  private static long parseVersion(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw VaultApiException.badRequest("error parsing versions: " + text);
    }
  }

  // ---- metadata/ ----

  private SimResponse list(VaultCall call, String dir) {
    call.require("list");
    SortedSet<String> children = KvEngine.children(keys.keySet(), dir);
    if (children.isEmpty()) {
      throw VaultApiException.notFound();
    }
    ObjectNode data = Json.object();
    ArrayNode list = data.putArray("keys");
    children.forEach(list::add);
    return envelope().data(data).ok();
  }

  private SimResponse readMetadata(VaultCall call, String key) {
    call.require("read");
    KvV2Key meta = keys.get(key);
    if (meta == null) {
      throw VaultApiException.notFound();
    }
    ObjectNode data = Json.object();
    data.put("cas_required", meta.casRequired);
    data.put("created_time", GoFormats.rfc3339Nano(meta.created));
    data.put("current_version", meta.currentVersion);
    putCustomMetadata(data, meta);
    data.put("delete_version_after", GoFormats.duration(meta.deleteVersionAfter));
    data.put("max_versions", meta.maxVersions);
    data.put("oldest_version", meta.oldestVersion);
    data.put("updated_time", GoFormats.rfc3339Nano(meta.updated));
    ObjectNode versions = data.putObject("versions");
    meta.versions.forEach(
        (n, v) -> {
          ObjectNode node = versions.putObject(Long.toString(n));
          node.put("created_time", GoFormats.rfc3339Nano(v.created));
          node.put(
              "deletion_time", v.deletionTime == null ? "" : GoFormats.rfc3339Nano(v.deletionTime));
          node.put("destroyed", v.destroyed);
        });
    return envelope().data(data).ok();
  }

  private SimResponse writeMetadata(VaultCall call, String key) {
    KvV2Key meta = keys.get(key);
    call.requireWrite(meta != null);
    JsonNode body = call.body();
    Map<String, String> custom = parseCustomMetadata(body.get("custom_metadata"));
    Integer max =
        body.hasNonNull("max_versions") ? parseInt(body.get("max_versions"), "max_versions") : null;
    Duration after =
        body.hasNonNull("delete_version_after")
            ? parseDuration(body.get("delete_version_after"), "delete_version_after")
            : null;
    if (meta == null) {
      meta = new KvV2Key(call.now()); // a metadata-only key: current_version 0
      keys.put(key, meta);
    }
    List<String> warnings = new ArrayList<>();
    if (body.hasNonNull("cas_required")) {
      boolean wanted = body.get("cas_required").asBoolean();
      if (!wanted && casRequired) {
        warnings.add(
            "\"cas_required\" set to false, but is mandated by backend config. This value will be ignored.");
      }
      meta.casRequired = wanted;
    }
    if (max != null) {
      meta.maxVersions = max;
    }
    if (after != null) {
      meta.deleteVersionAfter = after;
    }
    if (custom != null) {
      meta.customMetadata = custom; // replaced wholesale on POST
    }
    meta.updated = call.now();
    return warnings.isEmpty() ? SimResponse.empty(204) : envelope().warnings(warnings).ok();
  }

  private SimResponse patchMetadata(VaultCall call, String key) {
    call.require("patch");
    KvV2Key meta = keys.get(key);
    if (meta == null) {
      throw VaultApiException.notFound();
    }
    JsonNode body = call.body();
    if (body.has("custom_metadata")) {
      JsonNode patch = body.get("custom_metadata");
      ObjectNode current = Json.object();
      if (meta.customMetadata != null) {
        meta.customMetadata.forEach(current::put);
      }
      JsonNode merged = patch.isNull() ? Json.object() : mergePatch(current, patch);
      meta.customMetadata = parseCustomMetadata(merged);
    }
    if (body.hasNonNull("max_versions")) {
      meta.maxVersions = parseInt(body.get("max_versions"), "max_versions");
    }
    if (body.hasNonNull("cas_required")) {
      meta.casRequired = body.get("cas_required").asBoolean();
    }
    if (body.hasNonNull("delete_version_after")) {
      meta.deleteVersionAfter =
          parseDuration(body.get("delete_version_after"), "delete_version_after");
    }
    meta.updated = call.now();
    return SimResponse.empty(204);
  }

  private SimResponse deleteMetadata(VaultCall call, String key) {
    call.require("delete");
    keys.remove(key);
    return SimResponse.empty(204);
  }

  /** Vault's custom_metadata limits (≤64 keys, key 1–128, value 1–512 characters, printable). */
  private static Map<String, String> parseCustomMetadata(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw VaultApiException.badRequest(
          "custom_metadata validation failed: expected a map of strings");
    }
    List<String> problems = new ArrayList<>();
    if (node.size() > 64) {
      problems.add("payload must contain at most 64 keys, provided " + node.size());
    }
    Map<String, String> out = new LinkedHashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              String k = e.getKey();
              String v = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
              if (k.isEmpty() || k.length() > 128) {
                problems.add(
                    "length of key \""
                        + k
                        + "\" is "
                        + k.length()
                        + " which is outside the limit of 1 to 128");
              }
              if (v.isEmpty() || v.length() > 512) {
                problems.add(
                    "length of value for key \""
                        + k
                        + "\" is "
                        + v.length()
                        + " which is outside the limit of 1 to 512");
              }
              if (!printable(k) || !printable(v)) {
                problems.add("key \"" + k + "\" or its value contains unprintable characters");
              }
              out.put(k, v);
            });
    if (!problems.isEmpty()) {
      // Vault renders a go-multierror here; we keep its prefix and list the problems the same way.
      StringBuilder text =
          new StringBuilder(
              "custom_metadata validation failed: "
                  + problems.size()
                  + (problems.size() == 1 ? " error occurred:\n" : " errors occurred:\n"));
      problems.forEach(p -> text.append("\t* ").append(p).append('\n'));
      throw VaultApiException.badRequest(text.append('\n').toString());
    }
    return out;
  }

  private static boolean printable(String s) {
    return s.codePoints().allMatch(c -> !Character.isISOControl(c));
  }

  private static void putCustomMetadata(ObjectNode target, KvV2Key meta) {
    if (meta.customMetadata == null) {
      target.putNull("custom_metadata");
    } else {
      ObjectNode custom = target.putObject("custom_metadata");
      meta.customMetadata.forEach(custom::put);
    }
  }

  // ---- config ----

  private SimResponse config(VaultCall call) {
    switch (call.operation()) {
      case READ -> {
        call.require("read");
        ObjectNode data = Json.object();
        data.put("cas_required", casRequired);
        data.put("delete_version_after", GoFormats.duration(deleteVersionAfter));
        data.put("max_versions", maxVersions);
        return envelope().data(data).ok();
      }
      case WRITE -> {
        call.require("update");
        JsonNode body = call.body();
        if (body.hasNonNull("max_versions")) {
          maxVersions = parseInt(body.get("max_versions"), "max_versions");
        }
        if (body.hasNonNull("cas_required")) {
          casRequired = body.get("cas_required").asBoolean();
        }
        if (body.hasNonNull("delete_version_after")) {
          deleteVersionAfter =
              parseDuration(body.get("delete_version_after"), "delete_version_after");
        }
        return SimResponse.empty(204);
      }
      default -> {
        return invalidPath(call);
      }
    }
  }

  // ---- shared ----

  private static int parseInt(JsonNode node, String field) {
    if (node.isIntegralNumber()) {
      return node.asInt();
    }
    if (node.isTextual() && node.asText().trim().matches("-?\\d+")) {
      return Integer.parseInt(node.asText().trim());
    }
    throw VaultApiException.badRequest("error parsing " + field);
  }

  private static Duration parseDuration(JsonNode node, String field) {
    try {
      return GoFormats.parseDuration(node);
    } catch (IllegalArgumentException e) {
      throw VaultApiException.badRequest("error parsing " + field);
    }
  }

  /** The per-version metadata block of read, write and patch answers. */
  private static ObjectNode versionMetadata(KvV2Key meta, KvV2Key.Version v) {
    ObjectNode node = Json.object();
    node.put("created_time", GoFormats.rfc3339Nano(v.created));
    putCustomMetadata(node, meta);
    node.put("deletion_time", v.deletionTime == null ? "" : GoFormats.rfc3339Nano(v.deletionTime));
    node.put("destroyed", v.destroyed);
    node.put("version", v.number);
    return node;
  }

  /**
   * Any other path on a v2 mount: 404 with the envelope and the plugin's hint (backend.go
   * pathInvalid).
   */
  private static SimResponse invalidPath(VaultCall call) {
    String sub =
        switch (call.operation()) {
          case READ -> "get";
          case LIST -> "list";
          case DELETE -> "delete";
          case PATCH -> "patch";
          default -> "put";
        };
    call.require(
        switch (call.operation()) {
          case READ -> "read";
          case LIST -> "list";
          case DELETE -> "delete";
          case PATCH -> "patch";
          default -> "update";
        });
    return envelope()
        .warnings(
            List.of(
                "Invalid path for a versioned K/V secrets engine. See the API docs for the "
                    + "appropriate API endpoints to use. If using the Vault CLI, use 'vault kv "
                    + sub
                    + "' for this operation."))
        .respond(404);
  }

  private static VaultEnvelope envelope() {
    return VaultEnvelope.of("kv");
  }

  // ---- direct access for seeding and assertions ----

  @Override
  public synchronized long write(String key, Map<String, String> data) {
    KvV2Key meta = keys.computeIfAbsent(key, k -> new KvV2Key(clock.instant()));
    ObjectNode node = Json.object();
    data.forEach(node::put);
    return meta.addVersion(node, clock.instant(), maxVersions, deleteVersionAfter).number;
  }

  @Override
  public synchronized Optional<Map<String, String>> read(String key) {
    KvV2Key meta = keys.get(key);
    if (meta == null || meta.current() == null || !meta.current().live(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(toStrings(meta.current().data));
  }

  static Map<String, String> toStrings(ObjectNode data) {
    Map<String, String> out = new LinkedHashMap<>();
    data.fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  @Override
  public synchronized long currentVersion(String key) {
    KvV2Key meta = keys.get(key);
    return meta == null ? 0 : meta.currentVersion;
  }

  @Override
  public synchronized ObjectNode describeKeys() {
    ObjectNode out = Json.object();
    Instant now = clock.instant();
    keys.forEach(
        (key, meta) -> {
          ObjectNode node = out.putObject(key);
          node.put("current_version", meta.currentVersion);
          node.put("oldest_version", meta.oldestVersion);
          ObjectNode versions = node.putObject("versions");
          meta.versions.forEach(
              (n, v) ->
                  versions.put(
                      Long.toString(n),
                      v.destroyed ? "destroyed" : v.deleted(now) ? "deleted" : "live"));
        });
    return out;
  }
}
