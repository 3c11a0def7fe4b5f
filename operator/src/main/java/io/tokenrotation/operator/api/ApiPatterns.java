package io.tokenrotation.operator.api;

/** Regular expressions the CRD schema enforces; the operator's own validation reuses them. */
public final class ApiPatterns {

  // ---- the parts of AT_LEAST_A_MINUTE
  private static final String UNIT = "(ns|us|µs|ms|s|m|h|d|w)";
  private static final String FRACTION = "(\\.[0-9]+)?";
  private static final String ANY_COMPONENT = "([0-9]+" + FRACTION + UNIT + ")";

  /** A number with a digit other than 0. */
  private static final String NON_ZERO =
      "([0-9]*[1-9][0-9]*" + FRACTION + "|[0-9]+\\.[0-9]*[1-9][0-9]*)";

  private static final String NON_ZERO_COMPONENT = "(" + NON_ZERO + UNIT + ")";

  /**
   * A component that may be a minute or more by itself: 1m or more; any non-zero h, d or w (0.01h
   * is 36 s: left to the validator); 60 s, 60000 ms, 6e7 us or 6e10 ns or more (integer part;
   * leading zeros allowed, as in Go).
   */
  private static final String BIG_COMPONENT =
      "(0*[1-9][0-9]*"
          + FRACTION
          + "m"
          + "|"
          + NON_ZERO
          + "(h|d|w)"
          + "|0*([6-9][0-9]|[1-9][0-9]{2,})"
          + FRACTION
          + "s"
          + "|0*([6-9][0-9]{4}|[1-9][0-9]{5,})"
          + FRACTION
          + "ms"
          + "|0*([6-9][0-9]{7}|[1-9][0-9]{8,})"
          + FRACTION
          + "(us|µs)"
          + "|0*([6-9][0-9]{10}|[1-9][0-9]{11,})"
          + FRACTION
          + "ns)";

  /** Go duration units plus d (day) and w (week): 90m, 24h, 7d, 1h30m. */
  public static final String DURATION = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$";

  /**
   * A {@link #DURATION} that may be one minute or more: what the schema can say about the 1-minute
   * minimum of an interval without CEL. A duration is a sequence of components (number + unit); it
   * is a minute or more only if one component is by itself, or if two or more are not zero. So the
   * pattern is "any components, then a big one or two non-zero ones (with any between), then any
   * components". It refuses one component below a minute by itself ({@code 30s}, {@code 59.9s},
   * {@code 0.5m}, {@code 500ms}) among zero components ({@code 0m}, {@code 0h0m30s}), whose sum is
   * certainly below a minute, and accepts every other duration: it never refuses a valid interval.
   * The sub-minute sums it lets through ({@code 0.01h}, {@code 30s20s}, {@code 1s500ms}) are
   * SpecValidator's to refuse. RE2 (no lookaround); CrdPatternsTest checks it against the parser.
   */
  public static final String AT_LEAST_A_MINUTE =
      "^"
          + ANY_COMPONENT
          + "*("
          + BIG_COMPONENT
          + "|"
          + NON_ZERO_COMPONENT
          + ANY_COMPONENT
          + "*"
          + NON_ZERO_COMPONENT
          + ")"
          + ANY_COMPONENT
          + "*$";

  /** An http(s) URL with a host. */
  public static final String HTTP_URL = "^https?://[A-Za-z0-9.\\-\\[\\]:]+(/[^\\s]*)?$";

  /**
   * A Vault path: no leading or trailing slash, no empty segment, no '.' or '..' segment. RE2
   * syntax (no lookahead): the API server compiles CRD patterns with Go's regexp. A segment is
   * three or more dots, or has a non-dot.
   */
  public static final String VAULT_PATH =
      "^(\\.{3,}|\\.*[A-Za-z0-9_@+=,\\-][A-Za-z0-9_.@+=,\\-]*)"
          + "(/(\\.{3,}|\\.*[A-Za-z0-9_@+=,\\-][A-Za-z0-9_.@+=,\\-]*))*$";

  /** A secret field name. */
  public static final String FIELD = "^[A-Za-z0-9_.\\-]+$";

  /** A Kubernetes object name (DNS subdomain). */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /**
   * A Dynatrace token's public id ({@code dt0c01.ST2EY72KQINMH574WMNVI7YN}): prefix and public part
   * only. A full token has a third, secret part after another dot and does not match, so a secret
   * pasted into a spec is refused.
   */
  public static final String TOKEN_ID = "^dt0[a-zA-Z][0-9]{2}\\.[A-Za-z0-9]+$";

  /**
   * A Dynatrace scope name (apiTokens.read, DataExport); new ones appear without notice, so no
   * fixed list.
   */
  public static final String SCOPE = "^[A-Za-z][A-Za-z0-9._\\-]*$";

  /** A key of a Secret's data. */
  /**
   * A cron schedule's shape: a macro, or five whitespace-separated fields of the characters cron
   * uses. The operator checks the rest (ranges, names) and stalls with InvalidSpec.
   */
  public static final String CRON =
      "^\\s*(@[A-Za-z]+|[0-9A-Za-z*,/\\-]+(\\s+[0-9A-Za-z*,/\\-]+){4})\\s*$";

  public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  private ApiPatterns() {}
}
