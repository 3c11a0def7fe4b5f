package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;

/** What happens to a replaced token once its grace period is over. */
public enum RetireAction {
  Delete,
  Disable,
  DisableThenDelete;

  /** By exact name only (see Enums). */
  @JsonCreator
  static RetireAction of(String name) {
    return Enums.named(RetireAction.class, name);
  }
}
