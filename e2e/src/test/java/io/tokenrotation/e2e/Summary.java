package io.tokenrotation.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * e2e/target/e2e-summary.json: each class adds its figures as it finishes (read, merge, write), so
 * the file holds whatever ran, and a partial run still leaves the figures of the classes that did.
 */
final class Summary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Summary() {}

  static synchronized void put(String key, Object value) {
    Path file = E2e.summaryFile();
    try {
      ObjectNode root =
          Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
      root.set(key, JSON.valueToTree(value));
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static synchronized void add(String key, long delta) {
    Path file = E2e.summaryFile();
    long before = 0;
    try {
      if (Files.exists(file)) {
        before = JSON.readTree(file.toFile()).path(key).asLong(0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    put(key, before + delta);
  }
}
