package io.tokenrotation.sim.http;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One served request. {@code principal} is a Dynatrace token id or a Vault token accessor (never a
 * secret); {@code injected} is true when a fault rule, not the simulated service, produced the
 * answer.
 */
public record JournalEntry(
    Instant time,
    String method,
    String path,
    String query,
    int status,
    String principal,
    boolean injected) {

  /**
   * True when this entry's method matches (or {@code method} is "*") and its path matches the
   * regex.
   */
  public boolean matches(String method, String pathRegex) {
    return matches(method, Pattern.compile(pathRegex));
  }

  /** {@link #matches(String, String)} with the path pattern compiled once by the caller. */
  public boolean matches(String method, Pattern path) {
    return ("*".equals(method) || this.method.equalsIgnoreCase(method))
        && path.matcher(this.path).matches();
  }
}
