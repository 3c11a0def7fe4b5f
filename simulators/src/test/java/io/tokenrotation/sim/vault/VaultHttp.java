package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal Vault HTTP client for the tests: what a real client would send, what it would see. */
final class VaultHttp {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String baseUrl;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Duration timeout = Duration.ofSeconds(10);

  VaultHttp(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  VaultHttp token(String token) {
    headers.put("X-Vault-Token", token);
    return this;
  }

  VaultHttp header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  VaultHttp timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  record Reply(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  Reply get(String path) {
    return send("GET", path, null, null);
  }

  Reply send(String method, String path, String body) {
    return send(method, path, body, null);
  }

  Reply send(String method, String path, String body, String contentType) {
    try {
      return sendOrThrow(method, path, body, contentType);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Reply sendOrThrow(String method, String path, String body, String contentType)
      throws IOException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(timeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(builder::header);
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    } else if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
