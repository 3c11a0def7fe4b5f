package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The workloads a rollout restart can target (those {@code kubectl rollout restart} restarts). */
public enum WorkloadKind {
  Deployment,
  StatefulSet,
  DaemonSet;

  /** By exact name only (see Enums). */
  @JsonCreator
  static WorkloadKind of(String name) {
    return Enums.named(WorkloadKind.class, name);
  }
}
