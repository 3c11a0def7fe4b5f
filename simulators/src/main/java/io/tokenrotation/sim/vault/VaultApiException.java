package io.tokenrotation.sim.vault;

import io.tokenrotation.sim.http.SimResponse;

/**
 * Aborts handling of one request with a finished Vault answer. Handlers throw it from deep inside
 * (an ACL check, a CAS check) so the happy path reads straight through; the router turns it into
 * the response.
 */
final class VaultApiException extends RuntimeException {
  private final transient SimResponse response;

  VaultApiException(SimResponse response) {
    super(null, null, false, false); // no stack trace: this is control flow, not a bug
    this.response = response;
  }

  static VaultApiException error(int status, String message) {
    return new VaultApiException(VaultErrors.error(status, message));
  }

  static VaultApiException permissionDenied() {
    return new VaultApiException(VaultErrors.permissionDenied());
  }

  static VaultApiException badRequest(String message) {
    return error(400, message);
  }

  static VaultApiException notFound() {
    return new VaultApiException(VaultErrors.bareNotFound());
  }

  SimResponse response() {
    return response;
  }
}
