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

/** A Dynatrace API token kept in Vault, rotated on an interval. */
@Group(TokenRotation.GROUP)
@Version(TokenRotation.VERSION)
@Kind("TokenRotation")
@Plural("tokenrotations")
@ShortNames("tr")
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "State",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.state")
@AdditionalPrinterColumn(
    name = "Token",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.tokenId")
@AdditionalPrinterColumn(
    name = "Last Rotation",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".status.lastRotationTime")
// A string, not a date: kubectl prints a future date as <invalid> and a past one as a
// normal-looking age.
@AdditionalPrinterColumn(
    name = "Next Rotation",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.nextRotationTime")
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
    name = "Reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
    name = "Message",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].message")
@AdditionalPrinterColumn(
    name = "Path",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1,
    jsonPath = ".spec.vault.path")
@JsonIgnoreProperties(ignoreUnknown = true) // a real API server prunes unknown top-level fields
public class TokenRotation extends CustomResource<TokenRotationSpec, TokenRotationStatus>
    implements Namespaced {
  public static final String GROUP = "tokenrotation.io";
  public static final String VERSION = "v1alpha1";

  /** Setting this annotation to a new value asks for one rotation now. */
  public static final String ROTATE_REQUESTED_AT = GROUP + "/rotate-requested-at";

  // Spec and status are read leniently (an unreadable value never stops the informer; see
  // LenientReader) and
  // written back with what could not be read left as it was (LenientWriter).

  @Override
  @JsonSerialize(using = LenientWriter.class)
  public TokenRotationSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonDeserialize(using = LenientReader.Spec.class)
  public void setSpec(TokenRotationSpec spec) {
    super.setSpec(spec);
  }

  @Override
  @JsonSerialize(using = LenientWriter.class)
  public TokenRotationStatus getStatus() {
    return super.getStatus();
  }

  @Override
  @JsonDeserialize(using = LenientReader.Status.class)
  public void setStatus(TokenRotationStatus status) {
    super.setStatus(status);
  }

  /**
   * True when the status holds something this operator cannot read: it must not act on the resource
   * at all (see LenientReader.Status).
   */
  public boolean statusUnreadable() {
    return getStatus() != null && !getStatus().fullyRead();
  }
}
