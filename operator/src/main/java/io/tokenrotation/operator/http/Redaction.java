package io.tokenrotation.operator.http;

import java.util.regex.Pattern;

/** Removes anything token-shaped from text that may reach a log or an exception message. */
public final class Redaction {
  /** A Dynatrace token: keep the public id, drop the secret part. */
  private static final Pattern DYNATRACE_TOKEN = Pattern.compile("(dt0[a-zA-Z][0-9]{2}\\.[A-Z0-9]{24})\\.[A-Z0-9]{64}");
  /** Vault service/batch tokens (hvs./hvb./s.) and JWTs. */
  private static final Pattern VAULT_TOKEN = Pattern.compile("\\b(hv[sb]|s)\\.[A-Za-z0-9_\\-]{20,}");
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]+\\.[A-Za-z0-9_\\-]*");

  private Redaction() {}

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = DYNATRACE_TOKEN.matcher(text).replaceAll("$1.***");
    out = VAULT_TOKEN.matcher(out).replaceAll("$1.***");
    return JWT.matcher(out).replaceAll("***jwt***");
  }

  /** Redacted and shortened, for an upstream error message quoted in an exception. */
  public static String excerpt(String text, int max) {
    String r = redact(text == null ? "" : text.replaceAll("\\s+", " ").trim());
    return r.length() <= max ? r : r.substring(0, max) + "...";
  }
}
