package io.tokenrotation.operator.status;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tokenrotation.operator.api.TokenRotation;

/**
 * Writes status with {@code PUT .../status} carrying the resourceVersion we read, so a write from a
 * stale copy fails with 409 instead of overwriting newer progress, then hands the stored copy to
 * JOSDK's event source: the next reconcile sees it even before the informer does, and our own write
 * does not trigger a reconcile of its own. {@link RecentStatusWrites} learns of the write too:
 * JOSDK's copy does not survive the informer's events for the earlier writes of the same reconcile.
 */
public final class JosdkStatusStore implements StatusStore {
  private final Context<TokenRotation> context;
  private final RecentStatusWrites recent;

  public JosdkStatusStore(Context<TokenRotation> context, RecentStatusWrites recent) {
    this.context = context;
    this.recent = recent;
  }

  @Override
  public TokenRotation write(TokenRotation resource) {
    // the version this write is based on (optimistic locking), not the copy the reconcile began
    // with: the second and third write of a reconcile replace our own earlier writes
    String basedOn = resource.getMetadata().getResourceVersion();
    TokenRotation stored = context.getClient().resource(resource).updateStatus();
    context
        .eventSourceRetriever()
        .getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(resource), stored, resource);
    recent.wrote(basedOn, stored);
    return stored;
  }
}
