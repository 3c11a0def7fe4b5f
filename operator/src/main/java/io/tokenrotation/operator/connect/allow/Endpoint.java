package io.tokenrotation.operator.connect.allow;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import okhttp3.HttpUrl;

/**
 * The origin (scheme, host, port) and path a URL from a resource's spec would really reach. Parsed
 * strictly, and refused when two parsers disagree about the host: the allow-list must judge the
 * host the HTTP client will connect to, not the one a lenient reading of the text suggests
 * (userinfo, backslashes, percent-encoded or non-ASCII hosts and trailing dots are the classic ways
 * to make them differ).
 */
public record Endpoint(String scheme, String host, int port, String path) {

  /**
   * Why a URL cannot be judged at all; the message names the problem, never a credential (URLs
   * carry none).
   */
  public static final class Unusable extends Exception {
    Unusable(String message) {
      super(message);
    }
  }

  public static Endpoint parse(String url) throws Unusable {
    if (url == null || url.isBlank()) {
      throw new Unusable("no URL");
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new Unusable("not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Unusable("the scheme must be http or https");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new Unusable("user info, query and fragment are not allowed in an endpoint URL");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new Unusable(
          "no host name the operator can judge (non-ASCII hosts must be written in punycode, xn--)");
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".") || host.contains("%")) {
      throw new Unusable("the host \"" + host + "\" is not in canonical form");
    }
    int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.contains("%")
        || path.contains("/./")
        || path.contains("/../")
        || path.endsWith("/..")
        || path.endsWith("/.")) {
      throw new Unusable("the path must not contain encoded characters or dot segments");
    }
    HttpUrl okhttp = HttpUrl.parse(url.trim());
    if (okhttp == null
        || !okhttp.host().equals(stripBrackets(host))
        || okhttp.port() != port
        || !okhttp.scheme().equals(scheme)) {
      throw new Unusable("the URL is ambiguous (its host reads differently to different parsers)");
    }
    return new Endpoint(scheme, host, port, trimTrailingSlashes(path));
  }

  static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  static String trimTrailingSlashes(String path) {
    return path.replaceAll("/+$", "");
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** scheme://host:port, the form the allow-list and messages use. */
  public String origin() {
    return scheme + "://" + host + ":" + port;
  }
}
