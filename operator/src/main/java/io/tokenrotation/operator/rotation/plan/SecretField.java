package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.api.VaultSecretRef;

/**
 * A Vault secret field as the operator identifies it ({@code ref}: address, namespace, mount, path,
 * field) and as it shows it to people ({@code display}). Identity is decided by the structured
 * reference; the display string is compared only for a status written before the reference existed
 * (it holds the display string alone), exactly as those versions compared it, so an upgrade makes
 * no resource adopt again — and the display wording may change from then on.
 */
public record SecretField(VaultSecretRef ref, String display) {

  /**
   * Whether a status or pending rotation that stored {@code storedRef} / {@code storedDisplay}
   * names any field.
   */
  public static boolean named(VaultSecretRef storedRef, String storedDisplay) {
    return storedRef != null || storedDisplay != null;
  }

  /** Whether what a status or pending rotation stored names this field. */
  public boolean isStored(VaultSecretRef storedRef, String storedDisplay) {
    if (storedRef != null) {
      return storedRef.equals(ref);
    }
    return storedDisplay != null && storedDisplay.equals(display);
  }

  /**
   * A status written before vaultSecretRef existed that names this field by its display string: its
   * structured reference is due (one status write, once).
   */
  public boolean recordedOnlyAsDisplay(TokenRotationStatus st) {
    return st != null
        && st.getVaultSecretRef() == null
        && st.getVaultSecret() != null
        && st.getVaultSecret().equals(display);
  }
}
