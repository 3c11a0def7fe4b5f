package io.tokenrotation.sim.vault;

/**
 * Vault's logical operations, derived from the HTTP verb (reference §1): GET is read (or list with
 * {@code ?list=true}), the LIST verb is list, POST and PUT are both "write" (create or update,
 * decided by whether the target exists), PATCH is patch, DELETE is delete.
 */
enum Operation {
  READ,
  LIST,
  WRITE,
  PATCH,
  DELETE;

  static Operation fromHttp(String method, String listQuery) {
    return switch (method) {
      case "GET", "HEAD" -> "true".equalsIgnoreCase(listQuery) ? LIST : READ;
      case "LIST" -> LIST;
      case "POST", "PUT" -> WRITE;
      case "PATCH" -> PATCH;
      case "DELETE" -> DELETE;
      default -> null;
    };
  }
}
