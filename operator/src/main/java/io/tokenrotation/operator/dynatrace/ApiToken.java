package io.tokenrotation.operator.dynatrace;

import java.time.Instant;
import java.util.List;

/** Token metadata as Dynatrace returns it (never the secret). Absent dates are null. */
public record ApiToken(
    String id,
    String name,
    boolean enabled,
    String owner,
    List<String> scopes,
    Instant creationDate,
    Instant expirationDate,
    Instant lastUsedDate,
    Instant modifiedDate,
    boolean personalAccessToken) {

  public ApiToken {
    scopes = scopes == null ? List.of() : List.copyOf(scopes);
  }
}
