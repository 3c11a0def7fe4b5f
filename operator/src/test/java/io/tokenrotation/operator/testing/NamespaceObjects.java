package io.tokenrotation.operator.testing;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objects a namespace admin creates for a TokenRotation, as the test worlds (TestWorld,
 * ControllerHarness) create them: Secrets and service accounts.
 */
public final class NamespaceObjects {
  private NamespaceObjects() {}

  /** A Secret whose {@code data} is given in plain text (stored base64-encoded). */
  public static void secret(
      KubernetesClient client, String namespace, String name, Map<String, String> data) {
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client
        .secrets()
        .inNamespace(namespace)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withData(encoded)
                .build())
        .create();
  }

  public static void serviceAccount(
      KubernetesClient client, String namespace, String name, Map<String, String> annotations) {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .create();
  }
}
