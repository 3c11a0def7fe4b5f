package io.tokenrotation.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.WorkloadKind;
import io.tokenrotation.operator.consumers.KubernetesConsumerTargets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Workloads and consumer targets for tests: one of each kind, opted in to restarts. */
public final class Workloads {
  private Workloads() {}

  /** A Deployment named {@code name}, opted in to restarts or not. */
  public static void deployment(
      KubernetesClient client, String namespace, String name, boolean optedIn) {
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(
            new DeploymentBuilder()
                .withMetadata(meta(namespace, name, optedIn))
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template(name))
                .endSpec()
                .build())
        .create();
  }

  private static ObjectMeta meta(String namespace, String name, boolean optedIn) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withAnnotations(
            optedIn ? Map.of(KubernetesConsumerTargets.TARGET_OPT_IN, "true") : Map.of())
        .build();
  }

  private static PodTemplateSpec template(String name) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app:1")
        .endContainer()
        .endSpec()
        .build();
  }

  /** A Deployment, a StatefulSet and a DaemonSet named {@code name}, each opted in. */
  public static void createOptedIn(KubernetesClient client, String namespace, String name) {
    deployment(client, namespace, name, true);
    ObjectMeta meta = meta(namespace, name, true);
    PodTemplateSpec template = template(name);
    var apps = client.apps();
    apps.statefulSets()
        .inNamespace(namespace)
        .resource(
            new StatefulSetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build())
        .create();
    apps.daemonSets()
        .inNamespace(namespace)
        .resource(
            new DaemonSetBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withTemplate(template)
                .endSpec()
                .build())
        .create();
  }

  /** A restart target of every kind, all named {@code name}. */
  public static List<RolloutRestartTarget> everyKind(String name) {
    return Stream.of(WorkloadKind.values())
        .map(
            kind -> {
              RolloutRestartTarget t = new RolloutRestartTarget();
              t.setKind(kind);
              t.setName(name);
              return t;
            })
        .toList();
  }

  public static SecretTarget secretTarget(String name, String key) {
    SecretTarget t = new SecretTarget();
    t.setName(name);
    t.setKey(key);
    return t;
  }
}
