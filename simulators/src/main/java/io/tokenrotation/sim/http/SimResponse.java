package io.tokenrotation.sim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response a simulator handler returns; bodies are bytes so handlers control the exact wire text.
 */
public final class SimResponse {
  public static final String JSON = "application/json; charset=utf-8";

  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private SimResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  public static SimResponse json(int status, Object body) {
    try {
      byte[] bytes =
          body instanceof String s
              ? s.getBytes(StandardCharsets.UTF_8)
              : Json.MAPPER.writeValueAsBytes(body);
      return new SimResponse(status, new LinkedHashMap<>(Map.of("Content-Type", JSON)), bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise simulator response", e);
    }
  }

  public static SimResponse text(int status, String contentType, String body) {
    return new SimResponse(
        status,
        new LinkedHashMap<>(Map.of("Content-Type", contentType)),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** A response without a body (204, or a bare status). */
  public static SimResponse empty(int status) {
    return new SimResponse(status, new LinkedHashMap<>(), new byte[0]);
  }

  /**
   * Sets a header, replacing it in any spelling: HTTP names are case-insensitive, and two spellings
   * would race.
   */
  public SimResponse withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
    copy.put(name, value);
    return new SimResponse(status, copy, body);
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return Map.copyOf(headers);
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
