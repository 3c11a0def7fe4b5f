package io.tokenrotation.sim.dynatrace;

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

/** Real HTTP calls against a simulator, as a client of the Dynatrace API would make them. */
final class DtHttp {
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** One answer: status, raw body, headers. */
  record Reply(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  private final String baseUrl;
  private final String token;

  DtHttp(String baseUrl, String token) {
    this.baseUrl = baseUrl;
    this.token = token;
  }

  DtHttp as(String otherToken) {
    return new DtHttp(baseUrl, otherToken);
  }

  Reply get(String pathAndQuery) {
    return send("GET", pathAndQuery, null);
  }

  Reply post(String path, String json) {
    return send("POST", path, json);
  }

  Reply put(String path, String json) {
    return send("PUT", path, json);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  Reply send(String method, String pathAndQuery, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json; charset=utf-8");
    }
    if (token != null) {
      request.header("Authorization", "Api-Token " + token);
    }
    try {
      HttpResponse<String> response =
          CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
