package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Finds unused or orphaned Dynatrace tokens on an interval and reports (by default), disables or
 * deletes them.
 */
@Group(TokenRotation.GROUP)
@Version(TokenRotation.VERSION)
@Kind("TokenCleanupPolicy")
@Plural("tokencleanuppolicies")
@ShortNames("tcp")
@AdditionalPrinterColumn(
    name = "Action",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.action")
@AdditionalPrinterColumn(
    name = "Matched",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.matched")
@AdditionalPrinterColumn(
    name = "Acted",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.acted")
@AdditionalPrinterColumn(
    name = "Last Run",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastRunTime")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Next Run",
    type = AdditionalPrinterColumn.Type.DATE,
    priority = 1,
    jsonPath = ".status.nextRunTime")
@JsonIgnoreProperties(ignoreUnknown = true) // a real API server prunes unknown top-level fields
public class TokenCleanupPolicy
    extends CustomResource<TokenCleanupPolicySpec, TokenCleanupPolicyStatus> implements Namespaced {
  // Read and written like TokenRotation's (see there).

  @Override
  @JsonSerialize(using = LenientWriter.class)
  public TokenCleanupPolicySpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonDeserialize(using = LenientReader.Spec.class)
  public void setSpec(TokenCleanupPolicySpec spec) {
    super.setSpec(spec);
  }

  @Override
  @JsonSerialize(using = LenientWriter.class)
  public TokenCleanupPolicyStatus getStatus() {
    return super.getStatus();
  }

  @Override
  @JsonDeserialize(using = LenientReader.Status.class)
  public void setStatus(TokenCleanupPolicyStatus status) {
    super.setStatus(status);
  }

  /**
   * True when the status holds something this operator cannot read: it must not act on the resource
   * at all.
   */
  public boolean statusUnreadable() {
    return getStatus() != null && !getStatus().fullyRead();
  }
}
