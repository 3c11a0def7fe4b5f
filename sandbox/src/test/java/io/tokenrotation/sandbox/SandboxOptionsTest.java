package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@code --kube}: embedded by default, real on request, nothing else; and what a real server's
 * audit verbs mean.
 */
class SandboxOptionsTest {

  @Test
  void kubeIsEmbeddedUnlessRealIsAskedFor() {
    assertThat(SandboxOptions.parse(new String[] {}).kube())
        .isEqualTo(SandboxOptions.Kube.EMBEDDED);
    assertThat(
            SandboxOptions.parse(new String[] {"--kube", "embedded", "--kube-port", "0"})
                .kubePort())
        .isZero();
    SandboxOptions real =
        SandboxOptions.parse(new String[] {"--kube", "real", "--duration", "45s"});
    assertThat(real.kube()).isEqualTo(SandboxOptions.Kube.REAL);
    assertThat(real.duration()).hasSeconds(45);
  }

  @Test
  void anUnknownKubeOrAPortForTheRealServerIsRefused() {
    assertThatThrownBy(() -> SandboxOptions.parse(new String[] {"--kube", "kind"}))
        .hasMessage("--kube: \"kind\" is neither embedded nor real");
    assertThatThrownBy(() -> SandboxOptions.parse(new String[] {"--kube"}))
        .hasMessage("--kube needs a value");
    assertThatThrownBy(
            () -> SandboxOptions.parse(new String[] {"--kube-port", "7000", "--kube", "real"}))
        .hasMessageStartingWith("--kube-port is for --kube embedded");
  }

  @Test
  void auditVerbsAreCountedAsTheHttpMethodsTheEmbeddedJournalRecords() {
    assertThat(RealSandboxKube.method("update")).isEqualTo("PUT");
    assertThat(RealSandboxKube.method("patch")).isEqualTo("PATCH");
    assertThat(RealSandboxKube.method("create")).isEqualTo("POST");
    assertThat(RealSandboxKube.method("watch")).isEqualTo("GET");
    assertThat(RealSandboxKube.method("list")).isEqualTo("GET");
    assertThat(RealSandboxKube.method("deletecollection")).isEqualTo("DELETE");
  }
}
