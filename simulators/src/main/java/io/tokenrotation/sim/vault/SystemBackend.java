package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.util.Optional;

/**
 * The sys/ endpoints the project's clients touch: health, the CLI's mount preflight, and enabling
 * KV mounts.
 */
final class SystemBackend {
  static final String VERSION = "1.17.2";
  private static final String CLUSTER_ID = VaultIds.uuid();

  private final VaultState state;

  SystemBackend(VaultState state) {
    this.state = state;
  }

  /**
   * GET|HEAD sys/health: unauthenticated, not enveloped, status per reference §6 (this node is
   * always active).
   */
  SimResponse health(SimRequest request) {
    if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
      return VaultErrors.error(405, "unsupported operation");
    }
    boolean sealed = state.sealed();
    int status =
        sealed ? code(request.query("sealedcode"), 503) : code(request.query("activecode"), 200);
    ObjectNode body = Json.object();
    body.put("initialized", true);
    body.put("sealed", sealed);
    body.put("standby", false);
    body.put("performance_standby", false);
    body.put("replication_performance_mode", "disabled");
    body.put("replication_dr_mode", "disabled");
    body.put("server_time_utc", state.clock.instant().getEpochSecond());
    body.put("version", VERSION);
    if (!sealed) {
      body.put("cluster_name", "vault-cluster-sim");
      body.put("cluster_id", CLUSTER_ID);
    }
    return SimResponse.json(status, body);
  }

  private static int code(String override, int fallback) {
    if (override == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(override);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /**
   * sys/internal/ui/mounts/{path} (and sys/mounts-all/{path}): the mount containing the path, for
   * the CLI's KV version detection. Unknown mounts and mounts the token cannot touch look the same
   * (403), so mounts cannot be enumerated.
   */
  SimResponse mountPreflight(VaultNamespace ns, Acl acl, String path) {
    Optional<Mount> mount = ns.mounts().find(path);
    if (mount.isEmpty() || !acl.hasAnyAccessUnder(mount.get().path())) {
      String shown = path.endsWith("/") ? path : path + "/";
      throw VaultApiException.error(
          403,
          "preflight capability check returned 403, please ensure client's policies "
              + "grant access to path \""
              + shown
              + "\"");
    }
    return VaultEnvelope.of("system").data(mount.get().describe()).ok();
  }

  /** GET sys/mounts: every mount of the namespace (needs read on sys/mounts). */
  SimResponse listMounts(VaultCall call, VaultNamespace ns) {
    call.require("read");
    ObjectNode data = Json.object();
    for (Mount mount : ns.mounts().all()) {
      data.set(mount.path(), mount.describe());
    }
    return VaultEnvelope.of("system").data(data).ok();
  }

  /**
   * POST sys/mounts/{path} {type:"kv", options:{version:"2"}}; like Vault, needs sudo (root has
   * it).
   */
  SimResponse enableMount(VaultCall call, VaultNamespace ns, String mountPath) {
    if (!call.acl().isRoot()
        && !(call.acl().allows(call.path(), "sudo")
            && (call.acl().allows(call.path(), "create")
                || call.acl().allows(call.path(), "update")))) {
      throw VaultApiException.permissionDenied();
    }
    JsonNode body = call.body();
    String type = body.path("type").asText("");
    int version;
    switch (type) {
      case "kv" -> version = "2".equals(body.path("options").path("version").asText("1")) ? 2 : 1;
      case "kv-v2" -> version = 2;
      case "" -> throw VaultApiException.badRequest("backend type must be specified as a string");
      default -> throw VaultApiException.badRequest("plugin not found in the catalog: " + type);
    }
    try {
      if (ns.mounts().exact(mountPath).isPresent()) {
        throw new IllegalStateException(
            "path is already in use at " + MountTable.normalize(mountPath));
      }
      ns.mounts().mountKv(mountPath, version);
    } catch (IllegalStateException e) {
      throw VaultApiException.badRequest(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw VaultApiException.badRequest("invalid mount path");
    }
    return SimResponse.empty(204);
  }
}
