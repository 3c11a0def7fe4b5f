package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A workload in the resource's namespace restarted after its token Secret changed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutRestartTarget {
  @Required
  @JsonPropertyDescription("Deployment, StatefulSet or DaemonSet.")
  private WorkloadKind kind;

  @Required
  @Size(max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The workload's name, in this TokenRotation's namespace.")
  private String name;

  public WorkloadKind getKind() {
    return kind;
  }

  public void setKind(WorkloadKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
