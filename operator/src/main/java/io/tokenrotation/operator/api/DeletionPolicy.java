package io.tokenrotation.operator.api;

/** What happens to the current token when its TokenRotation is deleted. */
public enum DeletionPolicy {
  /** Keep the token (Vault keeps working for its readers). */
  Retain,
  /** Delete the token in Dynatrace. */
  Revoke
}
