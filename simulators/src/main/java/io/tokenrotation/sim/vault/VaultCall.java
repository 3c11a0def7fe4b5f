package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.http.SimRequest;
import java.io.IOException;
import java.time.Instant;

/**
 * One authenticated request as an engine sees it: the logical operation, the namespace-relative API
 * path (e.g. {@code secret/data/dynatrace/x}, the form policies are written in) and the caller's
 * ACL.
 */
final class VaultCall {
  private final SimRequest request;
  private final Operation operation;
  private final String path;
  private final Acl acl;
  private final Instant now;
  private JsonNode body;

  VaultCall(SimRequest request, Operation operation, String path, Acl acl, Instant now) {
    this.request = request;
    this.operation = operation;
    this.path = path;
    this.acl = acl;
    this.now = now;
  }

  Operation operation() {
    return operation;
  }

  String path() {
    return path;
  }

  Instant now() {
    return now;
  }

  Acl acl() {
    return acl;
  }

  String query(String name) {
    return request.query(name);
  }

  /**
   * Throws 403 "permission denied" unless the caller's ACL grants {@code capability} on this call's
   * path.
   */
  void require(String capability) {
    if (!acl.allows(path, capability)) {
      throw VaultApiException.permissionDenied();
    }
  }

  /**
   * A write to something that exists needs {@code update}, to something new {@code create} (Vault's
   * existence check).
   */
  void requireWrite(boolean exists) {
    require(exists ? "update" : "create");
  }

  /**
   * The JSON body; an absent body is an empty object, malformed JSON is 400 as in Vault's HTTP
   * layer.
   */
  JsonNode body() {
    if (body == null) {
      if (!request.hasBody() || request.bodyText().isBlank()) {
        body = Json.object();
      } else {
        try {
          body = request.bodyJson();
        } catch (IOException e) {
          // Vault adds Go's parser message; we leave it out so no fragment of a secret body is
          // echoed back.
          throw VaultApiException.badRequest("failed to parse JSON input");
        }
      }
    }
    return body;
  }
}
