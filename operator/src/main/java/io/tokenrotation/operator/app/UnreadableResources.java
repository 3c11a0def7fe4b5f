package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.tokenrotation.operator.api.LenientlyRead;
import io.tokenrotation.operator.status.EventPublisher;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the watch events of resources whose status this operator cannot read (see LenientReader)
 * from the reconcilers, and says so: a log line and a Warning event {@value #REASON} once per
 * version of such a resource (the count is {@code tokenrotation_unreadable_resources}). Such a
 * status may hold a pending rotation or tokens still to retire; acting on the part that can be read
 * could lose them, and writing a condition is a write too. So nothing is done: no rotation, no
 * retirement, no cleanup run, and a deletion waits (the finalizer stays) until the status can be
 * read, by the operator version that wrote it or once someone fixed it. The reconcilers also check
 * {@code statusUnreadable()} themselves, for reconciles a timer or a retry starts without a watch
 * event.
 *
 * <p>Deletion events are let through: JOSDK then forgets the resource's timers. A spec this
 * operator cannot read is no reason to skip: the reconciler stalls it with InvalidSpec (status
 * condition, event, log line).
 */
final class UnreadableResources implements AutoCloseable {
  static final String REASON = "StatusUnreadable";
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableResources.class);

  /**
   * Versions reported are remembered per resource; a bound in case unreadable resources come and go
   * forever.
   */
  private static final int MAX_REMEMBERED = 10_000;

  private final EventPublisher events;

  /**
   * Events are posted off the informer's thread: a slow API server must not hold up every other
   * watch event.
   */
  private final ExecutorService poster =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "unreadable-resource-events");
            thread.setDaemon(true);
            return thread;
          });

  /** uid -> the resourceVersion last reported. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  UnreadableResources(EventPublisher events) {
    this.events = events;
  }

  /** Adds the filters to a controller's configuration. */
  <S, T extends LenientlyRead, R extends CustomResource<S, T>> void filter(
      ControllerConfigurationOverrider<R> c) {
    filter(c, resource -> false);
  }

  /**
   * Adds the filters, and drops update events {@code ignoredUpdate} accepts (one update filter per
   * controller: a second call would replace the first).
   */
  <S, T extends LenientlyRead, R extends CustomResource<S, T>> void filter(
      ControllerConfigurationOverrider<R> c, Predicate<? super R> ignoredUpdate) {
    c.withOnAddFilter(this::readable)
        .withOnUpdateFilter((resource, old) -> !ignoredUpdate.test(resource) && readable(resource));
  }

  /** False (and reported, once per version) when the resource's status could not be read. */
  boolean readable(CustomResource<?, ? extends LenientlyRead> resource) {
    String key =
        Objects.requireNonNullElse(
            resource.getMetadata().getUid(),
            resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName());
    LenientlyRead status = resource.getStatus();
    if (status == null || status.fullyRead()) {
      reported.remove(key);
      return true;
    }
    String version = resource.getMetadata().getResourceVersion();
    if (reported.size() >= MAX_REMEMBERED) {
      reported.clear();
    }
    if (!Objects.equals(reported.put(key, version), version)) {
      report(resource, String.join("; ", status.readProblems()));
    }
    return false;
  }

  private void report(CustomResource<?, ?> resource, String problems) {
    LOG.warn(
        "{} {}/{}: status cannot be read, not acting on it: {}",
        resource.getKind(),
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        problems);
    String message =
        "This operator cannot read the status ("
            + problems
            + ") and does nothing with this resource:"
            + " no rotation, retirement or cleanup run, and a deletion waits, until the status can be read (the operator"
            + " version that wrote it, or a fixed status).";
    poster.execute(() -> events.warning(resource, REASON, message));
  }

  @Override
  public void close() {
    poster.shutdown();
  }
}
