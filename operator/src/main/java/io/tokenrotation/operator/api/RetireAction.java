package io.tokenrotation.operator.api;

/** What happens to a replaced token once its grace period is over. */
public enum RetireAction {
  Delete, Disable, DisableThenDelete
}
