package io.tokenrotation.operator.consumers;

import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Instant;
import java.util.Map;

/**
 * The token's consumers inside the cluster, always in the TokenRotation's own namespace (tenancy):
 * Secrets that receive the token and workloads restarted to read it again. Failures a human must
 * fix (missing workload, no RBAC, an immutable Secret) are {@code StalledException}s.
 */
public interface ConsumerTargets {
  /** What one Secret must hold besides its other keys. */
  record SecretContent(
      String name,
      Map<String, SecretValue> data,
      Map<String, String> labels,
      Map<String, String> annotations) {}

  /**
   * Makes the Secret hold {@code content} (created, owned by {@code owner}, if absent; other keys,
   * labels and annotations kept). True when its content changed.
   */
  boolean writeSecret(TokenRotation owner, SecretContent content, String tokenId);

  /**
   * Restarts the workload the way {@code kubectl rollout restart} does: a new pod-template
   * annotation value. Not when its pods were restarted at or after {@code changedAt} (the Secret
   * change this restart serves): a restart whose status write was lost (a crash), or that a later
   * target's failure made the step repeat, is not done twice. True when it restarted now.
   */
  boolean restart(
      TokenRotation owner,
      RolloutRestartTarget target,
      String tokenId,
      Instant now,
      Instant changedAt);
}
