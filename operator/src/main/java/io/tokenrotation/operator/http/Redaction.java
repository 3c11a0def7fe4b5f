package io.tokenrotation.operator.http;

import io.tokenrotation.operator.secret.SecretValue;
import java.util.regex.Pattern;

/** Removes anything token-shaped from text that may reach a log or an exception message. */
public final class Redaction {
  /**
   * A Dynatrace token: keep the public id, drop the secret part. Documented as {@code
   * dt0c01.[A-Z0-9]{24}.[A-Z0-9]{64}}, but the alphabet and lengths are not guaranteed (reference:
   * UNCERTAIN), so anything of that shape is masked.
   */
  private static final Pattern DYNATRACE_TOKEN =
      Pattern.compile("(dt0[a-zA-Z][0-9]{2}\\.[A-Za-z0-9]{8,})\\.[A-Za-z0-9]{16,}");

  /**
   * Vault service/batch tokens (hvs./hvb./s.) and JWTs. Not right after a letter, digit or dot:
   * "i.t.o.s.RotationStatusRecorder" (an abbreviated logger name) is not an old-style s. token.
   */
  private static final Pattern VAULT_TOKEN =
      Pattern.compile("(?<![A-Za-z0-9_.\\-])(hv[sb]|s)\\.[A-Za-z0-9_\\-]{20,}");

  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*");

  private Redaction() {}

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = DYNATRACE_TOKEN.matcher(text).replaceAll("$1.***");
    out = VAULT_TOKEN.matcher(out).replaceAll("$1.***");
    return JWT.matcher(out).replaceAll("***jwt***");
  }

  /**
   * Masks the exact values of secrets this call sent (a token in a header, a value in the body) in
   * upstream text, whatever their shape: pattern redaction alone would miss a secret in an
   * unexpected format.
   */
  public static String mask(String text, SecretValue... secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (SecretValue secret : secrets) {
      // Values under 4 characters are no secret worth the name, and masking them would garble the
      // whole text.
      if (secret != null && secret.reveal().strip().length() >= 4) {
        out = out.replace(secret.reveal(), "***");
      }
    }
    return out;
  }

  /** Redacted and shortened, for an upstream error message quoted in an exception. */
  public static String excerpt(String text, int max) {
    String r = redact(text == null ? "" : text.replaceAll("\\s+", " ").trim());
    return r.length() <= max ? r : r.substring(0, max) + "...";
  }
}
