package io.tokenrotation.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Finds unused or orphaned Dynatrace tokens on an interval and reports (by default), disables or deletes them. */
@Group(TokenRotation.GROUP)
@Version(TokenRotation.VERSION)
@Kind("TokenCleanupPolicy")
@Plural("tokencleanuppolicies")
@ShortNames("tcp")
@AdditionalPrinterColumn(name = "Action", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.action")
@AdditionalPrinterColumn(name = "Matched", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.matched")
@AdditionalPrinterColumn(name = "Acted", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".status.acted")
@AdditionalPrinterColumn(name = "Last Run", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".status.lastRunTime")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Reason", type = AdditionalPrinterColumn.Type.STRING, priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "Next Run", type = AdditionalPrinterColumn.Type.DATE, priority = 1,
    jsonPath = ".status.nextRunTime")
public class TokenCleanupPolicy extends CustomResource<TokenCleanupPolicySpec, TokenCleanupPolicyStatus>
    implements Namespaced {
}
