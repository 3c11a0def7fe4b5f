package io.tokenrotation.sim.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as a simulator handler sees it: immutable apart from the principal it records for
 * the journal.
 */
public final class SimRequest {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String remoteAddress;
  private volatile String principal;

  public SimRequest(
      String method,
      String path,
      String rawQuery,
      Map<String, List<String>> headers,
      byte[] body,
      String remoteAddress) {
    this.method = method.toUpperCase(Locale.ROOT);
    this.path = path;
    this.rawQuery = rawQuery;
    this.query = parseQuery(rawQuery);
    Map<String, List<String>> lower = new LinkedHashMap<>();
    headers.forEach(
        (k, v) ->
            lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
    this.headers = Collections.unmodifiableMap(lower);
    this.body = body == null ? new byte[0] : body;
    this.remoteAddress = remoteAddress;
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      result.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return result;
  }

  public String method() {
    return method;
  }

  /** The decoded path, without the query string. */
  public String path() {
    return path;
  }

  public String rawQuery() {
    return rawQuery;
  }

  /** First value of a query parameter, or null. */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  public Map<String, List<String>> queryParams() {
    return query;
  }

  /** First value of a header (case-insensitive name), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  public boolean hasBody() {
    return body.length > 0;
  }

  /**
   * The body parsed as JSON; throws {@link IOException} for malformed JSON so handlers can answer
   * 400.
   */
  public JsonNode bodyJson() throws IOException {
    return Json.MAPPER.readTree(body);
  }

  public String remoteAddress() {
    return remoteAddress;
  }

  /**
   * Who made the call, as it may be shown: a Dynatrace token id or a Vault token accessor, never a
   * secret. Handlers set it once they have authenticated the request; the journal records it.
   */
  public void principal(String principal) {
    this.principal = principal;
  }

  public String principal() {
    return principal;
  }
}
