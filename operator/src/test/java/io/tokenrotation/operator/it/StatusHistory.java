package io.tokenrotation.operator.it;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every status a TokenRotation went through (from a watch), so a test can assert transient states
 * it passed.
 */
public final class StatusHistory implements AutoCloseable {
  private final List<TokenRotationStatus> seen = new CopyOnWriteArrayList<>();
  private final Watch watch;

  StatusHistory(TestWorld world, String name) {
    watch =
        world
            .client
            .resources(TokenRotation.class)
            .inNamespace(TestWorld.NAMESPACE)
            .withName(name)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, TokenRotation resource) {
                    if (resource.getStatus() != null) {
                      seen.add(resource.getStatus());
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  public List<TokenRotationStatus> statuses() {
    return List.copyOf(seen);
  }

  /** Reasons the Ready condition had, in order (consecutive duplicates kept). */
  public List<String> readyReasons() {
    return seen.stream()
        .map(
            s ->
                Conditions.find(s.getConditions(), Conditions.READY)
                    .map(c -> c.getReason())
                    .orElse(null))
        .filter(r -> r != null)
        .toList();
  }

  public int maxFailedAttempts() {
    return seen.stream()
        .mapToInt(s -> s.getFailedAttempts() == null ? 0 : s.getFailedAttempts())
        .max()
        .orElse(0);
  }

  @Override
  public void close() {
    watch.close();
  }
}
