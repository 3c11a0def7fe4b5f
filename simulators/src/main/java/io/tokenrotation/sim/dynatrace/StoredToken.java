package io.tokenrotation.sim.dynatrace;

import java.time.Instant;
import java.util.List;

/**
 * One token as the store keeps it: immutable, replaced as a whole on every change so readers never
 * see half an update. Holds a SHA-256 of the full token, never the token itself. {@code sequence}
 * orders equal timestamps.
 */
record StoredToken(
    String id,
    String secretHash,
    long sequence,
    String name,
    boolean enabled,
    String owner,
    List<String> scopes,
    Instant creationDate,
    Instant expirationDate,
    Instant lastUsedDate,
    String lastUsedIpAddress,
    Instant modifiedDate,
    boolean personalAccessToken) {

  StoredToken {
    scopes = List.copyOf(scopes);
  }

  boolean usableAt(Instant now) {
    return enabled && (expirationDate == null || expirationDate.isAfter(now));
  }

  boolean hasScope(String scope) {
    return scopes.contains(scope);
  }

  StoredToken usedAt(Instant when, String ipAddress) {
    return new StoredToken(
        id,
        secretHash,
        sequence,
        name,
        enabled,
        owner,
        scopes,
        creationDate,
        expirationDate,
        when,
        ipAddress,
        modifiedDate,
        personalAccessToken);
  }

  /**
   * Name or scope edits count as a modification; enabling or disabling does not (per the API docs).
   */
  StoredToken edited(String newName, Boolean newEnabled, List<String> newScopes, Instant now) {
    boolean modified =
        (newName != null && !newName.equals(name))
            || (newScopes != null && !newScopes.equals(scopes));
    return new StoredToken(
        id,
        secretHash,
        sequence,
        newName != null ? newName : name,
        newEnabled != null ? newEnabled : enabled,
        owner,
        newScopes != null ? newScopes : scopes,
        creationDate,
        expirationDate,
        lastUsedDate,
        lastUsedIpAddress,
        modified ? now : modifiedDate,
        personalAccessToken);
  }

  TokenView view() {
    return new TokenView(
        id,
        name,
        enabled,
        owner,
        scopes,
        creationDate,
        expirationDate,
        lastUsedDate,
        lastUsedIpAddress,
        modifiedDate,
        personalAccessToken);
  }
}
