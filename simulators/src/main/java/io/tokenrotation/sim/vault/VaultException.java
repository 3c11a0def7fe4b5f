package io.tokenrotation.sim.vault;

import io.tokenrotation.sim.http.SimResponse;

/**
 * Aborts handling of one request with a finished Vault answer. Handlers throw it from deep inside (an ACL check, a
 * CAS check) so the happy path reads straight through; the router turns it into the response.
 */
final class VaultException extends RuntimeException {
  private final transient SimResponse response;

  VaultException(SimResponse response) {
    super(null, null, false, false); // no stack trace: this is control flow, not a bug
    this.response = response;
  }

  static VaultException error(int status, String message) {
    return new VaultException(VaultErrors.error(status, message));
  }

  static VaultException permissionDenied() {
    return new VaultException(VaultErrors.permissionDenied());
  }

  static VaultException badRequest(String message) {
    return error(400, message);
  }

  static VaultException notFound() {
    return new VaultException(VaultErrors.bareNotFound());
  }

  SimResponse response() {
    return response;
  }
}
