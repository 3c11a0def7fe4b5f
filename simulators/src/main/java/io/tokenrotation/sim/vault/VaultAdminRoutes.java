package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimHandler;
import io.tokenrotation.sim.http.SimHttpServer;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.util.TreeSet;

/**
 * Vault-specific admin routes under {@code /__sim/} (the shared server handles journal, faults,
 * latency): {@code POST seal}, {@code POST unseal}, {@code GET state}. The state view lists mounts,
 * keys and versions, roles and policy names — never a secret value or a token.
 */
final class VaultAdminRoutes implements SimHandler {
  private final VaultState state;

  VaultAdminRoutes(VaultState state) {
    this.state = state;
  }

  @Override
  public SimResponse handle(SimRequest request) {
    String route =
        request.method() + " " + request.path().substring(SimHttpServer.ADMIN_PREFIX.length());
    switch (route) {
      case "POST seal" -> {
        state.sealed(true);
        return SimResponse.empty(204);
      }
      case "POST unseal" -> {
        state.sealed(false);
        return SimResponse.empty(204);
      }
      case "GET state" -> {
        return SimResponse.json(200, describe());
      }
      default -> {
        return SimResponse.json(
            404, Json.object().put("error", "unknown admin route " + request.path()));
      }
    }
  }

  private ObjectNode describe() {
    ObjectNode out = Json.object();
    out.put("sealed", state.sealed());
    out.put("tokens", state.tokens.size());
    ObjectNode namespaces = out.putObject("namespaces");
    state
        .namespaces()
        .forEach(
            (name, ns) -> {
              ObjectNode node = namespaces.putObject(name);
              ObjectNode mounts = node.putObject("mounts");
              for (Mount mount : ns.mounts().all()) {
                ObjectNode m = mounts.putObject(mount.path());
                m.put("type", mount.type());
                m.put("version", mount.engine().version());
                m.set("keys", mount.engine().describeKeys());
              }
              ArrayNode policies = node.putArray("policies");
              new TreeSet<>(ns.policyNames()).forEach(policies::add);
              ObjectNode auth = node.putObject("auth");
              ns.kubernetesMounts()
                  .forEach(
                      (path, method) -> {
                        ArrayNode roles =
                            auth.putObject(path).put("type", "kubernetes").putArray("roles");
                        new TreeSet<>(method.roleNames()).forEach(roles::add);
                      });
            });
    return out;
  }
}
