package io.tokenrotation.operator.status;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tokenrotation.operator.api.TokenRotation;

/**
 * Writes status with {@code PUT .../status} carrying the resourceVersion we read, so a write from a
 * stale copy fails with 409 instead of overwriting newer progress, then hands the stored copy to
 * JOSDK's event source: the next reconcile sees it even before the informer does, and our own write
 * does not trigger a reconcile of its own.
 */
public final class JosdkStatusStore implements StatusStore {
  private final Context<TokenRotation> context;

  public JosdkStatusStore(Context<TokenRotation> context) {
    this.context = context;
  }

  @Override
  public TokenRotation write(TokenRotation resource) {
    TokenRotation before = context.getPrimaryResource();
    TokenRotation stored = context.getClient().resource(resource).updateStatus();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), stored, before);
    return stored;
  }
}
