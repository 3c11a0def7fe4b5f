package io.tokenrotation.operator.consumers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.failure.StalledException;
import io.tokenrotation.operator.secret.SecretValue;
import io.tokenrotation.operator.status.Reasons;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ConsumerTargets} on the Kubernetes API. A Secret is read first so an unchanged one is not
 * written (no watch event, no restart); a changed one is replaced with the resourceVersion read
 * (409 on a concurrent writer: retried with backoff, never overwriting). Workloads get the
 * pod-template annotation {@code kubectl rollout restart} uses, as a JSON merge patch.
 */
public final class KubernetesConsumerTargets implements ConsumerTargets {
  /** The pod-template annotation {@code kubectl rollout restart} sets; we set the same. */
  public static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  /** Which token the restart was for (public id): visible in {@code kubectl describe}. */
  public static final String RESTARTED_FOR = "tokenrotation.io/restarted-for-token";

  /** On a secret target: the public id of the token it holds. */
  public static final String TOKEN_ID = "tokenrotation.io/token-id";

  /**
   * The opt-in a namespace admin puts on an existing Secret or workload: the operator may write it
   * / restart it for any TokenRotation of the namespace. Without it, a user who may create
   * TokenRotations but not write Secrets or patch Deployments could make the operator do it (a
   * confused deputy). Secrets the operator created for a TokenRotation need no opt-in.
   */
  public static final String TARGET_OPT_IN = "tokenrotation.io/consumer-target";

  private final KubernetesClient kubernetes;

  public KubernetesConsumerTargets(KubernetesClient kubernetes) {
    this.kubernetes = kubernetes;
  }

  @Override
  public boolean writeSecret(TokenRotation owner, SecretContent content, String tokenId) {
    String namespace = owner.getMetadata().getNamespace();
    try {
      var resource = kubernetes.secrets().inNamespace(namespace).withName(content.name());
      Secret existing = resource.get();
      Map<String, String> wanted = new HashMap<>();
      content.data().forEach((key, value) -> wanted.put(key, base64(value)));
      if (existing == null) {
        kubernetes
            .secrets()
            .inNamespace(namespace)
            .resource(
                new SecretBuilder()
                    .withNewMetadata()
                    .withName(content.name())
                    .withNamespace(namespace)
                    .withLabels(orEmpty(content.labels()))
                    .withAnnotations(with(orEmpty(content.annotations()), TOKEN_ID, tokenId))
                    .withOwnerReferences(ownerReference(owner))
                    .endMetadata()
                    .withType("Opaque")
                    .withData(wanted)
                    .build())
            .create();
        return true;
      }
      if (!ownedBy(existing.getMetadata().getOwnerReferences(), owner)
          && !optedIn(existing.getMetadata().getAnnotations())) {
        throw new StalledException(
            Reasons.SECRET_TARGET_REFUSED,
            "Secret "
                + namespace
                + "/"
                + content.name()
                + " exists and was not created for this TokenRotation: a namespace admin allows"
                + " writing it with the annotation "
                + TARGET_OPT_IN
                + "=true");
      }
      Map<String, String> data = new HashMap<>(orEmpty(existing.getData()));
      Map<String, String> labels = new HashMap<>(orEmpty(existing.getMetadata().getLabels()));
      Map<String, String> annotations =
          new HashMap<>(orEmpty(existing.getMetadata().getAnnotations()));
      boolean dataChanged = !data.entrySet().containsAll(wanted.entrySet());
      data.putAll(wanted);
      labels.putAll(orEmpty(content.labels()));
      annotations.putAll(with(orEmpty(content.annotations()), TOKEN_ID, tokenId));
      if (!dataChanged
          && labels.equals(orEmpty(existing.getMetadata().getLabels()))
          && annotations.equals(orEmpty(existing.getMetadata().getAnnotations()))) {
        return false;
      }
      existing.setData(data);
      existing.setStringData(null);
      existing.getMetadata().setLabels(labels);
      existing.getMetadata().setAnnotations(annotations);
      kubernetes.secrets().inNamespace(namespace).resource(existing).update();
      return dataChanged;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 422) {
        throw new StalledException(
            Reasons.SECRET_TARGET_REFUSED,
            "cannot write Secret "
                + namespace
                + "/"
                + content.name()
                + " (HTTP "
                + e.getCode()
                + (e.getCode() == 403
                    ? ": the operator's RBAC does not allow it)"
                    : ": the API server refused it, e.g. an immutable Secret)"));
      }
      throw e;
    }
  }

  @Override
  public boolean restart(
      TokenRotation owner,
      RolloutRestartTarget target,
      String tokenId,
      Instant now,
      Instant changedAt) {
    String namespace = owner.getMetadata().getNamespace();
    // a value no earlier restart had: kubectl's format has seconds only, two restarts within one
    // second would be one
    String patch =
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
            + RESTARTED_AT
            + "\":\""
            + now
            + "\",\""
            + RESTARTED_FOR
            + "\":\""
            + tokenId
            + "\"}}}}}";
    PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
    try {
      Resource<? extends HasMetadata> handle = workload(target, namespace);
      HasMetadata workload = handle.get();
      if (workload == null) {
        throw new StalledException(
            Reasons.ROLLOUT_TARGET_NOT_FOUND,
            target.getKind() + " " + namespace + "/" + target.getName() + " not found");
      }
      if (!optedIn(workload.getMetadata().getAnnotations())) {
        throw new StalledException(
            Reasons.ROLLOUT_TARGET_REFUSED,
            target.getKind()
                + " "
                + namespace
                + "/"
                + target.getName()
                + " does not allow restarts by the operator: a namespace admin annotates it with "
                + TARGET_OPT_IN
                + "=true");
      }
      Instant restartedAt = restartedAt(workload);
      if (restartedAt != null && changedAt != null && !restartedAt.isBefore(changedAt)) {
        return false;
      }
      handle.patch(merge, patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new StalledException(
            Reasons.ROLLOUT_TARGET_NOT_FOUND,
            target.getKind() + " " + namespace + "/" + target.getName() + " not found");
      }
      if (e.getCode() == 403 || e.getCode() == 422) {
        throw new StalledException(
            Reasons.ROLLOUT_TARGET_REFUSED,
            "cannot restart "
                + target.getKind()
                + " "
                + namespace
                + "/"
                + target.getName()
                + " (HTTP "
                + e.getCode()
                + ")");
      }
      throw e;
    }
  }

  /** The workload a restart target names, whatever its kind. */
  private Resource<? extends HasMetadata> workload(RolloutRestartTarget target, String namespace) {
    var apps = kubernetes.apps();
    return switch (target.getKind()) {
      case Deployment -> apps.deployments().inNamespace(namespace).withName(target.getName());
      case StatefulSet -> apps.statefulSets().inNamespace(namespace).withName(target.getName());
      case DaemonSet -> apps.daemonSets().inNamespace(namespace).withName(target.getName());
    };
  }

  /**
   * When the workload's pods were last restarted by annotation (ours or kubectl's, whose RFC 3339
   * value has an offset); null when never or unreadable.
   */
  private static Instant restartedAt(HasMetadata workload) {
    PodTemplateSpec template = null;
    if (workload instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (workload instanceof StatefulSet st && st.getSpec() != null) {
      template = st.getSpec().getTemplate();
    } else if (workload instanceof DaemonSet ds && ds.getSpec() != null) {
      template = ds.getSpec().getTemplate();
    }
    String value =
        template == null || template.getMetadata() == null
            ? null
            : orEmpty(template.getMetadata().getAnnotations()).get(RESTARTED_AT);
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      return null; // someone else's value: restart, as kubectl would
    }
  }

  private static boolean ownedBy(List<OwnerReference> references, TokenRotation owner) {
    return references != null
        && references.stream()
            .anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
  }

  private static boolean optedIn(Map<String, String> annotations) {
    return annotations != null && "true".equals(annotations.get(TARGET_OPT_IN));
  }

  private static OwnerReference ownerReference(TokenRotation owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .build();
  }

  private static String base64(SecretValue value) {
    return Base64.getEncoder().encodeToString(value.reveal().getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> with(Map<String, String> map, String key, String value) {
    Map<String, String> copy = new HashMap<>(map);
    copy.put(key, value);
    return copy;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
