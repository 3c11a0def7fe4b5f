package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotationBuilder;
import io.tokenrotation.operator.api.TokenRotationSpec;

/** Test fixtures: the seed's automation_script1 resource, with only the required fields set. */
public final class Specs {
  private Specs() {}

  public static TokenRotationSpec minimal() {
    return TokenRotationBuilder.rotation(
            "automation-script1",
            "https://vault.example:8200",
            "dynatrace/automation_script1",
            "https://abc12345.live.dynatrace.com",
            TokenRotationBuilder.kubernetesAuth("token-rotator", null))
        .getSpec();
  }

  public static SecretKeyRef secretRef(String name, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(name);
    ref.setKey(key);
    return ref;
  }
}
