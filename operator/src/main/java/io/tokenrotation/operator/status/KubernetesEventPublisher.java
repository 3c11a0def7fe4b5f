package io.tokenrotation.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.tokenrotation.operator.status.EventAggregator.Key;
import io.tokenrotation.operator.status.EventAggregator.Series;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes core/v1 Events (what {@code kubectl describe} lists). A repeat of an identical event
 * updates the Event object of the first one (count, lastTimestamp; see {@link EventAggregator})
 * instead of creating another, so a resource failing for hours leaves one Event per reason, not
 * thousands. A failed event never fails a reconcile.
 */
public final class KubernetesEventPublisher implements EventPublisher {
  public static final String COMPONENT = "token-rotation-operator";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventPublisher.class);
  private static final int MAX_MESSAGE = 1024;
  private static final PatchContext MERGE_PATCH = PatchContext.of(PatchType.JSON_MERGE);

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;
  private final EventAggregator aggregator;

  public KubernetesEventPublisher(KubernetesClient client, Clock clock, String instance) {
    this(client, clock, instance, new EventAggregator());
  }

  /** With an aggregator of another bound, for tests of the eviction. */
  KubernetesEventPublisher(
      KubernetesClient client, Clock clock, String instance, EventAggregator aggregator) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
    this.aggregator = aggregator;
  }

  @Override
  public void normal(HasMetadata resource, String reason, String message) {
    publish(resource, "Normal", reason, message);
  }

  @Override
  public void warning(HasMetadata resource, String reason, String message) {
    publish(resource, "Warning", reason, message);
  }

  private void publish(HasMetadata resource, String type, String reason, String message) {
    try {
      String text =
          message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
      ObjectMeta meta = resource.getMetadata();
      Series series =
          aggregator.seriesFor(
              new Key(
                  meta.getNamespace(),
                  meta.getName(),
                  meta.getUid(),
                  resource.getKind(),
                  type,
                  reason,
                  text));
      // Held across the HTTP calls, but it is this key's lock only: identical events of one
      // resource wait for each
      // other (so they cannot create two objects), nothing else does.
      synchronized (series) {
        Instant now = clock.instant();
        series.observe(now, () -> newName(resource));
        write(resource, type, reason, text, series, now);
      }
    } catch (RuntimeException e) {
      // the status code only: the API server's text is not ours to log
      LOG.debug(
          "could not publish event {} for {}: {} {}",
          reason,
          resource.getMetadata().getName(),
          e.getClass().getSimpleName(),
          e instanceof KubernetesClientException k ? k.getCode() : "");
    }
  }

  /**
   * Writes the series' object: creates it if the API server does not have it yet (a new series, or
   * an earlier create that failed), else patches count and lastTimestamp (absolute values, so an
   * occurrence whose write failed is still counted by the next one). At most three requests, never
   * a loop: a create answered 409 means an earlier create that seemed to fail (a timeout) went
   * through after all (patch it); a patch answered 404 means the object expired (the API server
   * keeps events for an hour by default) or was deleted (a new object, counting afresh).
   */
  private void write(
      HasMetadata resource, String type, String reason, String text, Series series, Instant now) {
    if (!series.stored() && created(resource, type, reason, text, series)) {
      return;
    }
    try {
      // by an item, not withName(): Fabric8 would GET the object before every patch
      Event stored =
          new EventBuilder()
              .withNewMetadata()
              .withName(series.eventName())
              .withNamespace(resource.getMetadata().getNamespace())
              .endMetadata()
              .build();
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(stored)
          .patch(
              MERGE_PATCH,
              "{\"count\":"
                  + series.count()
                  + ",\"lastTimestamp\":\""
                  + seconds(series.last())
                  + "\"}");
      series.markStored();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
      series.restart(now, newName(resource));
      created(resource, type, reason, text, series);
    }
  }

  /**
   * Creates the series' object; false if it exists already. Either way the API server has it
   * afterwards.
   */
  private boolean created(
      HasMetadata resource, String type, String reason, String text, Series series) {
    try {
      client
          .v1()
          .events()
          .inNamespace(resource.getMetadata().getNamespace())
          .resource(event(resource, type, reason, text, series))
          .create();
      series.markStored();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      series.markStored();
      return false;
    }
  }

  private Event event(
      HasMetadata resource, String type, String reason, String text, Series series) {
    ObjectMeta meta = resource.getMetadata();
    return new EventBuilder()
        .withNewMetadata()
        .withName(series.eventName())
        .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(resource.getApiVersion())
                .withKind(resource.getKind())
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .build())
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withFirstTimestamp(seconds(series.first()))
        .withLastTimestamp(seconds(series.last()))
        // kubectl describe reads the first occurrence from eventTime when it is set: "(x5 over
        // <since eventTime>)"
        .withEventTime(
            new MicroTime(
                DateTimeFormatter.ISO_INSTANT.format(
                    series.first().truncatedTo(ChronoUnit.MICROS))))
        .withCount(series.count())
        .withReportingComponent(COMPONENT)
        .withReportingInstance(instance)
        .withAction(reason)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .build();
  }

  private static String newName(HasMetadata resource) {
    return resource.getMetadata().getName()
        + "."
        + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  private static String seconds(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
