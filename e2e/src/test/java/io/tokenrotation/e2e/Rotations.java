package io.tokenrotation.e2e;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * TokenRotations of one namespace as the admin sees them, and waits on what users would wait for.
 */
final class Rotations {
  private final KubernetesClient admin;
  private final String namespace;

  Rotations(KubernetesClient admin, String namespace) {
    this.admin = admin;
    this.namespace = namespace;
  }

  MixedOperation<TokenRotation, KubernetesResourceList<TokenRotation>, Resource<TokenRotation>>
      api() {
    return admin.resources(TokenRotation.class);
  }

  TokenRotation get(String name) {
    return api().inNamespace(namespace).withName(name).get();
  }

  List<TokenRotation> list() {
    return api().inNamespace(namespace).list().getItems();
  }

  static Optional<Condition> condition(TokenRotation tr, String type) {
    return tr == null || tr.getStatus() == null
        ? Optional.empty()
        : Conditions.find(tr.getStatus().getConditions(), type);
  }

  static boolean ready(TokenRotation tr) {
    return condition(tr, Conditions.READY).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static boolean stalled(TokenRotation tr, String reason) {
    return condition(tr, Conditions.STALLED)
        .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason()))
        .orElse(false);
  }

  TokenRotation await(String name, String what, Duration atMost, Predicate<TokenRotation> until) {
    return Awaitility.await(namespace + "/" + name + ": " + what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(() -> get(name), tr -> tr != null && until.test(tr));
  }

  TokenRotation awaitReady(String name, Predicate<TokenRotation> and) {
    return await(name, "Ready", Duration.ofSeconds(90), tr -> ready(tr) && and.test(tr));
  }

  TokenRotation awaitStalled(String name, String reason) {
    return await(name, "Stalled/" + reason, Duration.ofSeconds(60), tr -> stalled(tr, reason));
  }
}
