package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What a TokenCleanupPolicy does to the tokens it matches. */
public enum CleanupAction {
  /** Dry run: list the candidates in status and an event; change nothing in Dynatrace. */
  Report,
  /** Disable the candidates (reversible: they can be enabled again). */
  Disable,
  /** Delete the candidates. */
  Delete;

  /** By exact name only (see Enums). */
  @JsonCreator
  static CleanupAction of(String name) {
    return Enums.named(CleanupAction.class, name);
  }
}
