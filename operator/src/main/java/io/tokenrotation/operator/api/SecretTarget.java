package io.tokenrotation.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * A Kubernetes Secret in the resource's own namespace that receives the current token, for
 * consumers that read a Secret rather than Vault (a DynaKube, a CI runner, an app's environment).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTarget {
  @Required
  @Size(max = 253)
  @Pattern(ApiPatterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "The Secret's name, in this TokenRotation's namespace. Created (owned by this TokenRotation)"
          + " if absent; an existing Secret keeps its other keys, labels and owner.")
  private String name;

  @Required
  @Size(max = 253)
  @Pattern(ApiPatterns.SECRET_KEY)
  @JsonPropertyDescription("The key that holds the token, e.g. apiToken.")
  private String key;

  @JsonPropertyDescription("Labels set on the Secret (others are kept).")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations set on the Secret (others are kept).")
  private Map<String, String> annotations;

  @JsonPropertyDescription(
      "Further keys written with the token: each value is text in which {{ .token }} becomes the"
          + " token and {{ .tokenId }} its public id, e.g. Authorization: \"Api-Token {{ .token }}\".")
  private Map<String, String> template;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getTemplate() {
    return template;
  }

  public void setTemplate(Map<String, String> template) {
    this.template = template;
  }
}
