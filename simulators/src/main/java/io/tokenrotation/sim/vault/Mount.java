package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;

/**
 * One secrets-engine mount: its path ("secret/", always with the trailing slash), identity and
 * engine.
 */
record Mount(String path, String accessor, String uuid, KvEngine engine) {

  String type() {
    return "kv";
  }

  /** The mount description as sys/internal/ui/mounts and sys/mounts show it. */
  ObjectNode describe() {
    ObjectNode node = Json.object();
    node.put("accessor", accessor);
    ObjectNode config = node.putObject("config");
    config.put("default_lease_ttl", 0);
    config.put("force_no_cache", false);
    config.put("max_lease_ttl", 0);
    node.put("description", engine.version() == 2 ? "key/value secret storage" : "");
    node.put("external_entropy_access", false);
    node.put("local", false);
    node.putObject("options").put("version", Integer.toString(engine.version()));
    node.put("path", path);
    node.put("plugin_version", "");
    node.put("running_plugin_version", "v0.20.0+builtin");
    node.put("running_sha256", "");
    node.put("seal_wrap", false);
    node.put("type", type());
    node.put("uuid", uuid);
    return node;
  }
}
