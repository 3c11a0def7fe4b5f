package io.tokenrotation.operator.rotation.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.api.VaultSecretRef;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which secret field a status names: by the structured reference, or by the display string of older
 * versions.
 */
class SecretFieldTest {
  static final VaultSecretRef REF =
      VaultSecretRef.of("https://vault:8200", "", "secret", "dt/app", "token");
  static final String DISPLAY = "https://vault:8200 secret/dt/app#token";
  static final SecretField CURRENT = new SecretField(REF, DISPLAY);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("the same structured field", REF, null, true),
        Arguments.of(
            "the same structured field, the address with a trailing slash",
            VaultSecretRef.of("https://vault:8200/", "", "secret", "dt/app", "token"),
            null,
            true),
        Arguments.of(
            "the same structured field, whatever the display string says",
            REF,
            "https://vault:8200 (worded otherwise) secret/dt/app#token",
            true),
        Arguments.of(
            "another path",
            VaultSecretRef.of("https://vault:8200", "", "secret", "dt/b", "token"),
            DISPLAY,
            false),
        Arguments.of(
            "another mount although mount/path reads the same",
            VaultSecretRef.of("https://vault:8200", "", "secret/dt", "app", "token"),
            DISPLAY,
            false),
        Arguments.of(
            "another Vault namespace",
            VaultSecretRef.of("https://vault:8200", "team-a", "secret", "dt/app", "token"),
            null,
            false),
        Arguments.of(
            "written before the reference existed: the display string of this field",
            null,
            DISPLAY,
            true),
        Arguments.of(
            "written before the reference existed: another field's display string",
            null,
            "https://vault:8200 secret/dt/b#token",
            false),
        Arguments.of("nothing recorded", null, null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isStored(String sentence, VaultSecretRef storedRef, String storedDisplay, boolean same) {
    assertThat(CURRENT.isStored(storedRef, storedDisplay)).isEqualTo(same);
  }

  @Test
  void aStatusWithOnlyTheDisplayStringOfThisFieldIsDueItsReferenceOnce() {
    TokenRotationStatus legacy = new TokenRotationStatus();
    legacy.setVaultSecret(DISPLAY);
    assertThat(CURRENT.recordedOnlyAsDisplay(legacy)).isTrue();
    legacy.setVaultSecretRef(REF);
    assertThat(CURRENT.recordedOnlyAsDisplay(legacy)).isFalse();
    TokenRotationStatus other = new TokenRotationStatus();
    other.setVaultSecret("https://vault:8200 secret/dt/b#token");
    assertThat(CURRENT.recordedOnlyAsDisplay(other)).isFalse();
    assertThat(CURRENT.recordedOnlyAsDisplay(null)).isFalse();
  }
}
