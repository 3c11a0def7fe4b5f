package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.CreatedToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Dynatrace client on a management token remembered from an earlier reconcile ({@link
 * ManagementTokenCache}). If Dynatrace refuses it (401/403), the token may have been replaced in
 * Vault since: Vault is read once more and, if it holds another token, the call is repeated once
 * with that one. Bounded: at most one Vault read and one repeated call per refusal; a refusal of
 * the token Vault holds now is the resource's failure as before.
 */
final class RefreshingDynatraceClient implements DynatraceClient {
  private DynatraceClient current;
  private final Supplier<Optional<DynatraceClient>> reread;
  private boolean rereadDone;

  /**
   * {@code reread}: forgets the remembered token, reads Vault and returns a client on the token
   * found there if it differs from the one in use (empty: the same token, nothing to retry).
   */
  RefreshingDynatraceClient(DynatraceClient current, Supplier<Optional<DynatraceClient>> reread) {
    this.current = current;
    this.reread = reread;
  }

  private synchronized <T> T call(Function<DynatraceClient, T> call) {
    try {
      return call.apply(current);
    } catch (DynatraceException e) {
      if (rereadDone
          || (e.kind() != DynatraceException.Kind.UNAUTHORIZED
              && e.kind() != DynatraceException.Kind.FORBIDDEN)) {
        throw e;
      }
      rereadDone = true;
      Optional<DynatraceClient> replaced = reread.get();
      if (replaced.isEmpty()) {
        throw e;
      }
      current = replaced.get();
      return call.apply(current);
    }
  }

  @Override
  public ApiToken lookup(SecretValue token) {
    return call(c -> c.lookup(token));
  }

  @Override
  public CreatedToken create(String name, List<String> scopes, Instant expiration) {
    return call(c -> c.create(name, scopes, expiration));
  }

  @Override
  public Optional<ApiToken> get(String id) {
    return call(c -> c.get(id));
  }

  @Override
  public List<ApiToken> list(String selector) {
    return call(c -> c.list(selector));
  }

  @Override
  public boolean setEnabled(String id, boolean enabled) {
    return call(c -> c.setEnabled(id, enabled));
  }

  @Override
  public boolean delete(String id) {
    return call(c -> c.delete(id));
  }
}
