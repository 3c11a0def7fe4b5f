package io.tokenrotation.operator.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the generated and the committed CRD live, and how to read them. */
final class Crds {
  static final String FILE = "tokenrotations.tokenrotation.io-v1.yml";
  static final String CLEANUP_FILE = "tokencleanuppolicies.tokenrotation.io-v1.yml";

  /** Every CRD the generator writes and crds/ holds. */
  static final List<String> FILES = List.of(FILE, CLEANUP_FILE);

  private Crds() {}

  /**
   * The operator module directory (surefire sets basedir; the working directory is the same by
   * default).
   */
  static Path moduleDir() {
    return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  }

  /** Written by the Fabric8 crd-generator at process-classes. */
  static Path generated(String file) {
    return moduleDir().resolve("target/classes/META-INF/fabric8/" + file);
  }

  /** The copy users apply: crds/ at the repository root. TokenRotation's unless named. */
  static Path committed() {
    return committed(FILE);
  }

  static Path committed(String file) {
    return moduleDir().resolve("../crds/" + file).normalize();
  }

  /** examples/ at the repository root. */
  static Path examples() {
    return moduleDir().resolve("../examples").normalize();
  }

  static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
