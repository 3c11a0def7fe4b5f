package io.tokenrotation.operator.connect.allow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AudiencePolicyTest {

  @Test
  void aResourcePicksAmongTheAllowedAudiencesOrGetsTheDefault() {
    AudiencePolicy policy = AudiencePolicy.of("vault", "vault-staging", "ALLOWED_VAULT_AUDIENCES");
    assertThat(policy.refusal(Optional.empty())).isEmpty();
    assertThat(policy.audience(Optional.empty())).isEqualTo("vault");
    assertThat(policy.refusal(Optional.of("vault-staging"))).isEmpty();
    assertThat(policy.refusal(Optional.of("attacker")))
        .hasValueSatisfying(why -> assertThat(why).contains("attacker", "vault, vault-staging"));
  }

  @Test
  void anAudienceTheApiServerAcceptsStopsTheOperator() {
    for (String audience :
        new String[] {
          "https://kubernetes.default.svc",
          "https://kubernetes.default.svc/",
          "https://kubernetes.default.svc.cluster.local",
          "kubernetes.default.svc",
          "api"
        }) {
      assertThatThrownBy(() -> AudiencePolicy.of("vault", audience, "ALLOWED_VAULT_AUDIENCES"))
          .as(audience)
          .hasMessageContaining("ALLOWED_VAULT_AUDIENCES")
          .hasMessageContaining("API server");
    }
    assertThatThrownBy(
            () -> AudiencePolicy.of("https://kubernetes.default.svc.cluster.local", "", "X"))
        .hasMessageContaining("API server");
  }
}
