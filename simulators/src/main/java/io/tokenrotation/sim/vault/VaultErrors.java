package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimResponse;

/**
 * Vault's error bodies: {@code {"errors":["msg"]}}, and the bare 404 {@code {"errors":[]}}
 * (reference §5).
 */
final class VaultErrors {
  static final String PERMISSION_DENIED = "permission denied";
  static final String SEALED = "Vault is sealed";

  private VaultErrors() {}

  static SimResponse error(int status, String message) {
    ObjectNode body = Json.object();
    body.putArray("errors").add(message);
    return SimResponse.json(status, body);
  }

  static SimResponse bareNotFound() {
    ObjectNode body = Json.object();
    body.putArray("errors");
    return SimResponse.json(404, body);
  }

  static SimResponse permissionDenied() {
    return error(403, PERMISSION_DENIED);
  }

  static SimResponse sealed() {
    return error(503, SEALED);
  }

  /**
   * The body an injected fault without its own body answers with: a generic text per status, taken
   * from the texts real Vault uses for that status where there is one (reference §5). 503
   * deliberately is NOT "Vault is sealed": the simulator is not sealed, and a client must not learn
   * to branch on that text; "no active Vault instance found" is the other real 503 (leader
   * election), which a client should retry.
   */
  static SimResponse forStatus(int status) {
    return switch (status) {
      case 404 -> bareNotFound();
      case 400 -> error(status, "invalid request");
      case 403 -> permissionDenied();
      case 405 -> error(status, "unsupported operation");
      case 412 -> error(status, "required index state not present");
      case 413 -> error(status, "http: request body too large");
      case 429 -> error(status, "rate limit quota exceeded");
      case 500 -> error(status, "internal error");
      case 502 -> error(status, "upstream error");
      case 503 -> error(status, "no active Vault instance found");
      default -> error(status, status >= 500 ? "internal error" : "invalid request");
    };
  }
}
