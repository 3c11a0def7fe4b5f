package io.tokenrotation.operator.connect.allow;

import java.util.Locale;

/**
 * One entry of an allow-list, written by the cluster admin: {@code scheme://host[:port][/path]}.
 * The host may start with {@code *.}, which stands for exactly one DNS label ({@code
 * *.live.dynatrace.com} allows {@code abc12345.live.dynatrace.com}, not {@code live.dynatrace.com}
 * and not {@code a.b.live.dynatrace.com}, as in TLS certificates). No port means the scheme's
 * default port; a path allows that path and everything below it. The scheme is part of the entry,
 * so plain http is allowed only where the admin wrote {@code http://}.
 */
record AllowedEndpoint(String scheme, String host, boolean wildcard, int port, String pathPrefix) {
  private static final String WILDCARD = "*.";

  /** A stand-in label that makes a wildcard entry parse as an ordinary URL. */
  private static final String PLACEHOLDER = "wildcard-label.";

  static AllowedEndpoint parse(String entry) {
    String text = entry.trim();
    int hostStart = text.indexOf("://") + 3;
    boolean wildcard = hostStart > 2 && text.startsWith(WILDCARD, hostStart);
    String parsable =
        wildcard
            ? text.substring(0, hostStart) + PLACEHOLDER + text.substring(hostStart + 2)
            : text;
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(parsable);
    } catch (Endpoint.Unusable e) {
      throw new IllegalArgumentException("\"" + entry + "\": " + e.getMessage());
    }
    String host = wildcard ? endpoint.host().substring(PLACEHOLDER.length()) : endpoint.host();
    if (host.contains("*") || (wildcard && !host.contains("."))) {
      throw new IllegalArgumentException(
          "\""
              + entry
              + "\": a wildcard may only stand for the first label of a"
              + " host with at least two more labels (*.live.dynatrace.com)");
    }
    return new AllowedEndpoint(endpoint.scheme(), host, wildcard, endpoint.port(), endpoint.path());
  }

  boolean allows(Endpoint endpoint) {
    return scheme.equals(endpoint.scheme())
        && port == endpoint.port()
        && hostMatches(endpoint.host())
        && pathMatches(endpoint.path());
  }

  private boolean hostMatches(String candidate) {
    if (!wildcard) {
      return host.equals(candidate);
    }
    if (!candidate.endsWith("." + host)) {
      return false;
    }
    String label = candidate.substring(0, candidate.length() - host.length() - 1);
    return !label.isEmpty() && !label.contains(".");
  }

  private boolean pathMatches(String path) {
    return pathPrefix.isEmpty() || path.equals(pathPrefix) || path.startsWith(pathPrefix + "/");
  }

  @Override
  public String toString() {
    String shownPort = port == Endpoint.defaultPort(scheme) ? "" : ":" + port;
    return scheme
        + "://"
        + (wildcard ? WILDCARD : "")
        + host.toLowerCase(Locale.ROOT)
        + shownPort
        + pathPrefix;
  }
}
