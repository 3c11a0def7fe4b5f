package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;

/**
 * {@code metadata.resourceVersion} of a JSON object, read by streaming: the embedded API server
 * checks it on every status write, and building two whole trees for one field cost more than the
 * rest of the check.
 */
final class ResourceVersions {
  private ResourceVersions() {}

  /** The non-empty resourceVersion, or null (absent, not a string, or not JSON). */
  static String of(byte[] json) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      return read(parser);
    } catch (IOException | RuntimeException e) {
      return null; // not JSON: the mock answers it as it would
    }
  }

  static String of(String json) {
    try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
      return read(parser);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String read(JsonParser parser) throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
        return inMetadata(parser);
      }
      parser.skipChildren();
    }
    return null;
  }

  private static String inMetadata(JsonParser parser) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if ("resourceVersion".equals(field)) {
        return value == JsonToken.VALUE_STRING && !parser.getText().isEmpty()
            ? parser.getText()
            : null;
      }
      parser.skipChildren();
    }
    return null;
  }
}
