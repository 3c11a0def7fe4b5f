package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.dynatrace.ApiToken;
import io.tokenrotation.operator.dynatrace.DynatraceClient;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.vault.KvLocation;
import io.tokenrotation.operator.vault.VaultClient;

/**
 * The Vault and Dynatrace connections of one resource. Everything is resolved lazily, so a
 * reconcile that needs nothing calls nothing; failures only a human can fix surface as {@link
 * StalledException}.
 */
public interface Connection {
  VaultClient vault();

  /** The secret holding the rotated token, with its KV version resolved. */
  KvLocation secretLocation();

  /**
   * A client authenticated with the management token as it is now (it may itself have been
   * rotated).
   */
  DynatraceClient dynatrace();

  /**
   * The management token's own metadata (its public id, its owner): one lookup, remembered for the
   * reconcile.
   */
  ApiToken lookupManagementToken();

  /**
   * The owner of the management token (tokens it creates get this owner); one lookup, only for
   * orphan sweeps.
   */
  default String managementTokenOwner() {
    return lookupManagementToken().owner();
  }
}
