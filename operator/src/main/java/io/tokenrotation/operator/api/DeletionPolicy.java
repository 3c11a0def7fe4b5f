package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What happens to the current token when its TokenRotation is deleted. */
public enum DeletionPolicy {
  /** Keep the token (Vault keeps working for its readers). */
  Retain,
  /** Delete the token in Dynatrace. */
  Revoke;

  /** By exact name only (see Enums). */
  @JsonCreator
  static DeletionPolicy of(String name) {
    return Enums.named(DeletionPolicy.class, name);
  }
}
