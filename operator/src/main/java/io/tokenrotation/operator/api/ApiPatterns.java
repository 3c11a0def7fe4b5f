package io.tokenrotation.operator.api;

/** Regular expressions the CRD schema enforces; the operator's own validation reuses them. */
public final class ApiPatterns {
  /** Go duration units plus d (day) and w (week): 90m, 24h, 7d, 1h30m. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$";
  /** An http(s) URL with a host. */
  public static final String HTTP_URL = "^https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^\\s]*)?$";
  /**
   * A Vault path: no leading or trailing slash, no empty segment, no '.' or '..' segment. RE2 syntax (no lookahead):
   * the API server compiles CRD patterns with Go's regexp. A segment is three or more dots, or has a non-dot.
   */
  public static final String VAULT_PATH = "^(\\.{3,}|\\.*[A-Za-z0-9_@+=,\\-][A-Za-z0-9_.@+=,\\-]*)"
      + "(/(\\.{3,}|\\.*[A-Za-z0-9_@+=,\\-][A-Za-z0-9_.@+=,\\-]*))*$";
  /** A secret field name. */
  public static final String FIELD = "^[A-Za-z0-9_.\\-]+$";
  /** A Kubernetes object name (DNS subdomain). */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /**
   * A Dynatrace token's public id ({@code dt0c01.ST2EY72KQINMH574WMNVI7YN}): prefix and public part only. A full
   * token has a third, secret part after another dot and does not match, so a secret pasted into a spec is refused.
   */
  public static final String TOKEN_ID = "^dt0[a-zA-Z][0-9]{2}\\.[A-Za-z0-9]+$";
  /** A Dynatrace scope name (apiTokens.read, DataExport); new ones appear without notice, so no fixed list. */
  public static final String SCOPE = "^[A-Za-z][A-Za-z0-9._\\-]*$";
  /** A key of a Secret's data. */
  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  private ApiPatterns() {}
}
