package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimResponse;
import java.util.List;
import java.util.UUID;

/**
 * The JSON envelope Vault wraps every 200 body in (reference §0): request_id, lease_id, renewable,
 * lease_duration, data, wrap_info, warnings, auth, mount_type, in this order. Mutable builder; one
 * per response.
 */
final class VaultEnvelope {
  private JsonNode data;
  private JsonNode auth;
  private long leaseDuration;
  private List<String> warnings = List.of();
  private final String mountType;

  private VaultEnvelope(String mountType) {
    this.mountType = mountType;
  }

  static VaultEnvelope of(String mountType) {
    return new VaultEnvelope(mountType);
  }

  VaultEnvelope data(JsonNode data) {
    this.data = data;
    return this;
  }

  VaultEnvelope auth(JsonNode auth) {
    this.auth = auth;
    return this;
  }

  VaultEnvelope leaseDuration(long seconds) {
    this.leaseDuration = seconds;
    return this;
  }

  VaultEnvelope warnings(List<String> warnings) {
    this.warnings = List.copyOf(warnings);
    return this;
  }

  ObjectNode toJson() {
    ObjectNode body = Json.object();
    body.put("request_id", UUID.randomUUID().toString());
    body.put("lease_id", "");
    body.put("renewable", false);
    body.put("lease_duration", leaseDuration);
    body.set("data", data == null ? Json.MAPPER.nullNode() : data);
    body.putNull("wrap_info");
    if (warnings.isEmpty()) {
      body.putNull("warnings");
    } else {
      ArrayNode list = body.putArray("warnings");
      warnings.forEach(list::add);
    }
    body.set("auth", auth == null ? Json.MAPPER.nullNode() : auth);
    body.put("mount_type", mountType == null ? "" : mountType);
    return body;
  }

  SimResponse respond(int status) {
    return SimResponse.json(status, toJson());
  }

  SimResponse ok() {
    return respond(200);
  }
}
