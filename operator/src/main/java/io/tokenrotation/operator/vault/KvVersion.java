package io.tokenrotation.operator.vault;

/** The KV engine version of a mount; AUTO asks Vault. */
public enum KvVersion {
  AUTO,
  V1,
  V2
}
