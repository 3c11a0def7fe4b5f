package io.tokenrotation.operator.controller;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes core/v1 Events (what {@code kubectl describe} lists). A failed event never fails a reconcile. */
public final class KubernetesEventPublisher implements EventPublisher {
  public static final String COMPONENT = "token-rotation-operator";
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEventPublisher.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public KubernetesEventPublisher(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
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
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    String micro = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.MICROS));
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
    try {
      client.v1().events().inNamespace(resource.getMetadata().getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
          .withName(resource.getMetadata().getName() + "." + UUID.randomUUID().toString().replace("-", "")
              .substring(0, 16))
          .withNamespace(resource.getMetadata().getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(resource.getApiVersion())
              .withKind(resource.getKind())
              .withName(resource.getMetadata().getName())
              .withNamespace(resource.getMetadata().getNamespace())
              .withUid(resource.getMetadata().getUid())
              .withResourceVersion(resource.getMetadata().getResourceVersion())
              .build())
          .withType(type)
          .withReason(reason)
          .withMessage(text)
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withEventTime(new MicroTime(micro))
          .withCount(1)
          .withReportingComponent(COMPONENT)
          .withReportingInstance(instance)
          .withAction(reason)
          .withNewSource().withComponent(COMPONENT).endSource()
          .build()).create();
    } catch (RuntimeException e) {
      LOG.debug("could not publish event {} for {}: {}", reason, resource.getMetadata().getName(), e.toString());
    }
  }
}
