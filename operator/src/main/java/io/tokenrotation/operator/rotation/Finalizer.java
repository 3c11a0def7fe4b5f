package io.tokenrotation.operator.rotation;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tokenrotation.operator.api.TokenRotation;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The TokenRotation finalizer, managed by the reconciler itself rather than by JOSDK: added in the
 * same reconcile as the first side effect, just before it, so that a fresh install over thousands
 * of resources reconciles the first of them at once instead of after JOSDK has patched every
 * finalizer (its finalizer patches and the reconciles they trigger queue behind each other: 36 s to
 * the first reconcile of 10,000 on a real API server). Removed once the cleanup is done. The name
 * is the one JOSDK used, so resources finalized by earlier versions keep working.
 *
 * <p>A JSON patch of the finalizer list only (no resourceVersion), as JOSDK sent it: a 409 or a 422
 * (the list changed under the patch) re-reads the resource and tries again, at most three times.
 */
final class Finalizer {
  static final String NAME = "tokenrotations.tokenrotation.io/finalizer";
  private static final int ATTEMPTS = 3;

  private Finalizer() {}

  static boolean present(TokenRotation resource) {
    return resource.getMetadata().getFinalizers() != null
        && resource.getMetadata().getFinalizers().contains(NAME);
  }

  /** The resource with the finalizer, as stored; null if it is gone. */
  static TokenRotation add(KubernetesClient client, TokenRotation resource) {
    return edit(
        client,
        resource,
        Finalizer::present,
        r -> {
          r.addFinalizer(NAME);
          return r;
        });
  }

  /** The resource without the finalizer, as stored; null if it is gone (deleted at once). */
  static TokenRotation remove(KubernetesClient client, TokenRotation resource) {
    return edit(
        client,
        resource,
        r -> !present(r),
        r -> {
          r.removeFinalizer(NAME);
          return r;
        });
  }

  private static TokenRotation edit(
      KubernetesClient client,
      TokenRotation resource,
      Predicate<TokenRotation> done,
      UnaryOperator<TokenRotation> change) {
    TokenRotation base = resource;
    for (int attempt = 1; ; attempt++) {
      if (done.test(base)) {
        return base;
      }
      try {
        return client.resource(base).edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if ((e.getCode() != 409 && e.getCode() != 422) || attempt >= ATTEMPTS) {
          throw e;
        }
      }
      base =
          client
              .resources(TokenRotation.class)
              .inNamespace(resource.getMetadata().getNamespace())
              .withName(resource.getMetadata().getName())
              .get();
      if (base == null) {
        return null;
      }
    }
  }
}
