package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * KV secrets engine version 1 (reference §2, KV passthrough.go): flat values, no versions, no CAS.
 */
final class KvV1Engine implements KvEngine {
  /**
   * 768h, the system default lease TTL a v1 read reports unless the secret carries its own "ttl".
   */
  static final long DEFAULT_LEASE_SECONDS = 2_764_800;

  private final ConcurrentSkipListMap<String, ObjectNode> values = new ConcurrentSkipListMap<>();

  @Override
  public int version() {
    return 1;
  }

  @Override
  public SimResponse handle(VaultCall call, String key) {
    switch (call.operation()) {
      case READ -> {
        call.require("read");
        ObjectNode data = values.get(key);
        if (data == null || key.isEmpty()) {
          throw VaultApiException.notFound();
        }
        return VaultEnvelope.of("kv").data(data.deepCopy()).leaseDuration(leaseSeconds(data)).ok();
      }
      case LIST -> {
        call.require("list");
        SortedSet<String> children = KvEngine.children(values.keySet(), key);
        if (children.isEmpty()) {
          throw VaultApiException.notFound();
        }
        ObjectNode data = Json.object();
        ArrayNode list = data.putArray("keys");
        children.forEach(list::add);
        return VaultEnvelope.of("kv").data(data).ok();
      }
      case WRITE -> {
        call.requireWrite(values.containsKey(key));
        JsonNode body = call.body();
        if (!body.isObject() || body.isEmpty()) {
          throw VaultApiException.badRequest("missing data fields");
        }
        if (key.isEmpty() || key.endsWith("/")) {
          throw VaultApiException.badRequest("invalid key");
        }
        values.put(key, ((ObjectNode) body).deepCopy());
        return SimResponse.empty(204);
      }
      case DELETE -> {
        call.require("delete");
        values.remove(key);
        return SimResponse.empty(204);
      }
      default -> {
        // PATCH on a v1 mount: the passthrough backend has no patch handler.
        call.require("patch");
        return VaultErrors.error(405, "unsupported operation");
      }
    }
  }

  private static long leaseSeconds(ObjectNode data) {
    JsonNode ttl = data.get("ttl");
    if (ttl == null) {
      ttl = data.get("lease");
    }
    if (ttl != null) {
      try {
        Duration d = GoFormats.parseDuration(ttl);
        if (!d.isZero()) {
          return d.getSeconds();
        }
      } catch (IllegalArgumentException e) {
        // An unparsable ttl field is just data.
      }
    }
    return DEFAULT_LEASE_SECONDS;
  }

  @Override
  public long write(String key, Map<String, String> data) {
    ObjectNode node = Json.object();
    data.forEach(node::put);
    values.put(key, node);
    return 0;
  }

  @Override
  public Optional<Map<String, String>> read(String key) {
    ObjectNode data = values.get(key);
    return data == null ? Optional.empty() : Optional.of(KvV2Engine.toStrings(data));
  }

  @Override
  public long currentVersion(String key) {
    return 0;
  }

  @Override
  public ObjectNode describeKeys() {
    ObjectNode out = Json.object();
    values.keySet().forEach(key -> out.putObject(key));
    return out;
  }
}
