package io.tokenrotation.sim.dynatrace;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one token's metadata, as tests inspect it; never the secret. Null dates mean "not
 * set".
 */
public record TokenView(
    String id,
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

  public TokenView {
    scopes = List.copyOf(scopes);
  }

  /** Expired at {@code now} (a token expiring exactly now is already unusable). */
  public boolean expiredAt(Instant now) {
    return expirationDate != null && !expirationDate.isAfter(now);
  }
}
