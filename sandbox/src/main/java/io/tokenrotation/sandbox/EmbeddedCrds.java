package io.tokenrotation.sandbox;

import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The project's CRDs (crds/, bundled in the sandbox jar), installed into an embedded API server.
 */
public final class EmbeddedCrds {
  static final List<String> CRDS =
      List.of(
          "crds/tokenrotations.tokenrotation.io-v1.yml",
          "crds/tokencleanuppolicies.tokenrotation.io-v1.yml");

  private EmbeddedCrds() {}

  public static void install(EmbeddedKubernetes kube) {
    for (String crd : CRDS) {
      try (InputStream in = EmbeddedCrds.class.getClassLoader().getResourceAsStream(crd)) {
        if (in == null) {
          throw new IllegalStateException(
              "missing " + crd + " on the class path (bundled from crds/)");
        }
        kube.installCrd(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
