package io.tokenrotation.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String ID = "dt0c01.ST2EY72KQINMH574WMNVI7YN";
  private static final String DT_TOKEN =
      ID + ".G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
  private static final String JWT =
      "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJl";

  @Test
  void dynatraceTokensKeepTheirIdAndLoseTheSecret() {
    assertThat(Redaction.redact("token " + DT_TOKEN + " is bad"))
        .isEqualTo("token " + ID + ".*** is bad");
    assertThat(Redaction.redact("/api/v2/apiTokens/" + DT_TOKEN))
        .isEqualTo("/api/v2/apiTokens/" + ID + ".***");
    assertThat(Redaction.redact(DT_TOKEN + "," + DT_TOKEN)).isEqualTo(ID + ".***," + ID + ".***");
    assertThat(Redaction.redact("id " + ID)).isEqualTo("id " + ID);
  }

  @Test
  void vaultTokensAreMasked() {
    assertThat(Redaction.redact("X-Vault-Token: hvs.CAESIJ3mK0t5b6vT2yQq9xZ1aBcD"))
        .isEqualTo("X-Vault-Token: hvs.***");
    assertThat(Redaction.redact("hvb.AAAAAQKqZ8p0cV7gk5lS2uXw9Yt3")).isEqualTo("hvb.***");
    assertThat(Redaction.redact("legacy s.Kx9bV3mT1qW8zY2aB5cD7eF0 token"))
        .isEqualTo("legacy s.*** token");
    assertThat(Redaction.redact("token=s.Kx9bV3mT1qW8zY2aB5cD7eF0")).isEqualTo("token=s.***");
    assertThat(Redaction.redact("i.t.o.s.RotationStatusRecorder - stalled"))
        .isEqualTo("i.t.o.s.RotationStatusRecorder - stalled");
    assertThat(Redaction.redact("hosts.example.com and s.short"))
        .isEqualTo("hosts.example.com and s.short");
  }

  @Test
  void jwtsAreMasked() {
    assertThat(Redaction.redact("jwt=" + JWT + " end")).isEqualTo("jwt=***jwt*** end");
    String unsigned = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    assertThat(Redaction.redact(unsigned)).isEqualTo("***jwt***");
  }

  @Test
  void plainTextAndNullAreUntouched() {
    assertThat(Redaction.redact(null)).isNull();
    assertThat(Redaction.redact("Vault read secret/dynatrace/app: HTTP 403 (permission denied)"))
        .isEqualTo("Vault read secret/dynatrace/app: HTTP 403 (permission denied)");
  }

  @Test
  void excerptRedactsCollapsesWhitespaceAndTruncates() {
    assertThat(Redaction.excerpt("  a\n\tb   " + DT_TOKEN + "  ", 200))
        .isEqualTo("a b " + ID + ".***");
    assertThat(Redaction.excerpt("x".repeat(50), 10)).isEqualTo("x".repeat(10) + "...");
    assertThat(Redaction.excerpt(null, 10)).isEmpty();
    // redaction happens before truncation, so a cut never leaves a partial secret behind
    assertThat(Redaction.excerpt("t " + DT_TOKEN, 50)).doesNotContain(DT_TOKEN.substring(31, 40));
  }
}
