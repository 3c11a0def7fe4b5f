package io.tokenrotation.sim.dynatrace;

import io.tokenrotation.sim.http.SimRequest;

/**
 * Authentication and authorisation of one call: the token from {@code Authorization: Api-Token
 * <token>} (or the discouraged {@code api-token} query parameter), which must exist, be enabled and
 * unexpired (else 401), and hold the operation's scope (else 403). Records the caller's id, never
 * its secret, as the journal principal.
 */
final class Caller {
  private Caller() {}

  static StoredToken authenticate(SimRequest request, ApiTokenStore store) {
    String secret = secretOf(request);
    if (secret == null || secret.isEmpty()) {
      throw new ApiError(401, DynatraceErrorBodies.MISSING_AUTH);
    }
    // Unknown, disabled, revoked and expired tokens get the same answer (UNCERTAIN in the contract:
    // 401 assumed);
    // the same text for all of them tells an attacker nothing.
    StoredToken caller =
        store
            .authenticate(secret, request.remoteAddress())
            .orElseThrow(() -> new ApiError(401, DynatraceErrorBodies.AUTH_FAILED));
    request.principal(caller.id());
    return caller;
  }

  /**
   * Authenticates, then demands {@code scope}; 403 names the scope the way the real service does.
   */
  static StoredToken authorise(SimRequest request, ApiTokenStore store, String scope) {
    StoredToken caller = authenticate(request, store);
    if (!caller.hasScope(scope)) {
      throw new ApiError(
          403,
          "Token is missing required scope. Use one of: "
              + scope
              + " ("
              + ScopeCatalogue.describe(scope)
              + ")");
    }
    return caller;
  }

  private static String secretOf(SimRequest request) {
    String header = request.header("Authorization");
    if (header != null) {
      String trimmed = header.trim();
      int space = trimmed.indexOf(' ');
      if (space > 0 && trimmed.substring(0, space).equalsIgnoreCase("Api-Token")) {
        return trimmed.substring(space + 1).trim();
      }
      // Another scheme (e.g. Bearer) is not an API token: treat it as no valid token at all.
      return "";
    }
    return request.query("api-token");
  }
}
