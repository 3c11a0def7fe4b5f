package io.tokenrotation.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Kubernetes events about a resource (kubectl describe shows them). Messages never hold secrets.
 */
public interface EventPublisher {
  void normal(HasMetadata resource, String reason, String message);

  void warning(HasMetadata resource, String reason, String message);
}
