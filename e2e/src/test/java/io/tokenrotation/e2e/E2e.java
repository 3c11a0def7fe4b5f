package io.tokenrotation.e2e;

import java.nio.file.Path;

/**
 * Where things are: set by the e2e module's failsafe configuration (e2e/pom.xml), with defaults for
 * an IDE run.
 */
final class E2e {
  private E2e() {}

  static Path repo() {
    return Path.of(System.getProperty("e2e.repo", "..")).toAbsolutePath().normalize();
  }

  static Path operatorJar() {
    return Path.of(
        System.getProperty(
            "e2e.operatorJar",
            repo().resolve("operator/target/token-rotation-operator.jar").toString()));
  }

  static Path summaryFile() {
    return Path.of(System.getProperty("e2e.summary", "target/e2e-summary.json"));
  }

  static Path work() {
    return Path.of(System.getProperty("e2e.work", "target/e2e-work")).toAbsolutePath();
  }
}
