package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The Dynatrace access-token API (v2) as the operator uses it, bound to one environment and one
 * management token. Every failure is a {@link DynatraceException} with a typed {@link
 * DynatraceException.Kind}.
 */
public interface DynatraceClient {

  /**
   * {@code POST /api/v2/apiTokens/lookup}: the metadata of the token whose secret is given. 404 ->
   * NOT_FOUND.
   */
  ApiToken lookup(SecretValue token);

  /**
   * {@code POST /api/v2/apiTokens}: a new token; {@code expiration} may be null (never expires).
   */
  CreatedToken create(String name, List<String> scopes, Instant expiration);

  /** {@code GET /api/v2/apiTokens/{id}}; empty on 404. */
  Optional<ApiToken> get(String id);

  /**
   * {@code GET /api/v2/apiTokens} following {@code nextPageKey} to the end. {@code selector} is an
   * {@code apiTokenSelector} expression or null; the result carries scopes, expirationDate,
   * lastUsedDate and modifiedDate besides the default fields.
   */
  List<ApiToken> list(String selector);

  /** {@code PUT /api/v2/apiTokens/{id}} with {@code enabled}; false on 404 (already gone). */
  boolean setEnabled(String id, boolean enabled);

  /** {@code DELETE /api/v2/apiTokens/{id}}; false on 404 (already gone). */
  boolean delete(String id);
}
