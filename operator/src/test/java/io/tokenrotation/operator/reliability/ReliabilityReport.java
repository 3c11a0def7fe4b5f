package io.tokenrotation.operator.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The reliability suite's figures, accumulated across its test classes (one JVM) and rewritten to
 * {@code operator/target/reliability/summary.json} after each class, so the file is complete when
 * the suite ends.
 */
public final class ReliabilityReport {
  public static final Path FILE = Path.of("target", "reliability", "summary.json");
  private static final Map<String, Long> COUNTERS = new LinkedHashMap<>();

  static {
    for (String key :
        new String[] {
          "crashPoints",
          "seedsPerPoint",
          "crashRuns",
          "outsideWriteCases",
          "faultsInjected",
          "badInputsTried",
          "lostTokens",
          "orphanTokens",
          "replacedTokensUnaccounted",
          "leakedSecrets"
        }) {
      COUNTERS.put(key, 0L);
    }
  }

  private ReliabilityReport() {}

  public static synchronized void add(String counter, long amount) {
    COUNTERS.merge(counter, amount, Long::sum);
  }

  public static synchronized void set(String counter, long value) {
    COUNTERS.put(counter, value);
  }

  public static synchronized long get(String counter) {
    return COUNTERS.getOrDefault(counter, 0L);
  }

  public static synchronized void write() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode json = mapper.createObjectNode();
    COUNTERS.forEach(json::put);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
