package io.tokenrotation.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events as {@code kubectl get events} shows them, against the embedded API server (Fabric8 CRUD
 * mock): repeats update one object, anything else gets its own. Time only moves when a test moves
 * the clock.
 */
class KubernetesEventPublisherTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final String AGENT = "token-rotation-operator";
  private static EmbeddedKubernetes kube;

  /** The test's own reads and deletes. */
  private static KubernetesClient client;

  /** The publisher's: its requests are the ones counted. */
  private static KubernetesClient operatorClient;

  private final SettableClock clock = new SettableClock();
  private String namespace;
  private KubernetesEventPublisher publisher;

  @BeforeAll
  static void startApiServer() {
    kube = EmbeddedKubernetes.start(0);
    client = kube.client();
    operatorClient = kube.newClient(AGENT);
  }

  @AfterAll
  static void stopApiServer() {
    operatorClient.close();
    kube.close();
  }

  @BeforeEach
  void freshNamespaceAndPublisher() {
    // one namespace per test: the server is shared, the events are not
    namespace = "events-" + NAMESPACES.incrementAndGet();
    clock.fix(T0);
    kube.faults().clear();
    publisher = new KubernetesEventPublisher(operatorClient, clock, "test-instance");
  }

  @Test
  void theSameWarningAHundredTimesIsOneEventCountingAHundred() {
    TokenRotation script1 = resource("script1", "uid-1");
    for (int i = 0; i < 100; i++) {
      publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "Dynatrace unavailable; retrying");
      clock.advance(Duration.ofSeconds(5));
    }
    Instant latest = T0.plusSeconds(99 * 5);

    Event event = single(events());
    assertThat(event.getCount()).isEqualTo(100);
    assertThat(event.getLastTimestamp()).isEqualTo(latest.toString());
    // what "(x100 over 8m)" is computed from in kubectl describe: the first occurrence stays put
    assertThat(event.getFirstTimestamp()).isEqualTo(T0.toString());
    assertThat(event.getEventTime().getTime()).isEqualTo(T0.toString());
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo(Reasons.DYNATRACE_UNAVAILABLE);
    assertThat(event.getInvolvedObject().getName()).isEqualTo("script1");
    assertThat(eventRequests("POST")).isEqualTo(1);
    assertThat(eventRequests("PATCH")).isEqualTo(99);
    assertThat(eventRequests("GET")).isZero();
  }

  @Test
  void anotherReasonMessageTypeOrResourceIsAnotherEvent() {
    TokenRotation script1 = resource("script1", "uid-1");
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "Dynatrace unavailable; retrying");
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "Dynatrace unavailable; retrying");
    publisher.warning(script1, Reasons.VAULT_UNAVAILABLE, "Dynatrace unavailable; retrying");
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "Dynatrace answered 503; retrying");
    publisher.normal(script1, Reasons.DYNATRACE_UNAVAILABLE, "Dynatrace unavailable; retrying");
    publisher.warning(
        resource("script2", "uid-2"),
        Reasons.DYNATRACE_UNAVAILABLE,
        "Dynatrace unavailable; retrying");
    // same name, new uid: the resource was deleted and created again, a new object to Kubernetes
    publisher.warning(
        resource("script1", "uid-3"),
        Reasons.DYNATRACE_UNAVAILABLE,
        "Dynatrace unavailable; retrying");

    List<Event> events = events();
    assertThat(events).hasSize(6);
    assertThat(events)
        .extracting(
            e ->
                e.getInvolvedObject().getName()
                    + "/"
                    + e.getInvolvedObject().getUid()
                    + " "
                    + e.getType()
                    + " "
                    + e.getReason()
                    + " "
                    + e.getMessage()
                    + " x"
                    + e.getCount())
        .containsExactlyInAnyOrder(
            "script1/uid-1 Warning DynatraceUnavailable Dynatrace unavailable; retrying x2",
            "script1/uid-1 Warning VaultUnavailable Dynatrace unavailable; retrying x1",
            "script1/uid-1 Warning DynatraceUnavailable Dynatrace answered 503; retrying x1",
            "script1/uid-1 Normal DynatraceUnavailable Dynatrace unavailable; retrying x1",
            "script2/uid-2 Warning DynatraceUnavailable Dynatrace unavailable; retrying x1",
            "script1/uid-3 Warning DynatraceUnavailable Dynatrace unavailable; retrying x1");
  }

  @Test
  void aRepeatWithinTheWindowOfThePreviousOneUpdatesAfterItANewEventStarts() {
    TokenRotation script1 = resource("script1", "uid-1");
    // every 5 minutes for an hour: the window runs from the latest occurrence, so this is one
    // object
    for (int i = 0; i <= 12; i++) {
      publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
      clock.advance(Duration.ofMinutes(5));
    }
    Instant last = T0.plus(Duration.ofMinutes(60));
    assertThat(single(events()).getCount()).isEqualTo(13);

    clock.fix(last.plus(EventAggregator.WINDOW).minusSeconds(1));
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    assertThat(single(events()).getCount()).isEqualTo(14);

    Instant late = last.plus(EventAggregator.WINDOW).minusSeconds(1).plus(EventAggregator.WINDOW);
    clock.fix(late);
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");

    List<Event> events = events();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).getCount()).isEqualTo(14);
    assertThat(events.get(1).getCount()).isEqualTo(1);
    assertThat(events.get(1).getFirstTimestamp()).isEqualTo(late.toString());
    assertThat(events.get(1).getLastTimestamp()).isEqualTo(late.toString());
  }

  @Test
  void aDeletedEventIsCreatedAgainByTheNextRepeatCountingAfresh() {
    TokenRotation script1 = resource("script1", "uid-1");
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    Event first = single(events());
    assertThat(first.getCount()).isEqualTo(2);

    // what the API server does when the event's TTL (an hour by default) runs out, or what kubectl
    // delete does
    client.v1().events().inNamespace(namespace).withName(first.getMetadata().getName()).delete();
    assertThat(events()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");

    Event again = single(events());
    assertThat(again.getCount()).isEqualTo(1);
    assertThat(again.getFirstTimestamp()).isEqualTo(T0.plus(Duration.ofMinutes(1)).toString());

    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    assertThat(single(events()).getCount()).isEqualTo(2);
  }

  @Test
  void theLeastRecentlyUsedKeyIsForgottenFirst() {
    EventAggregator aggregator = new EventAggregator(2);
    publisher = new KubernetesEventPublisher(operatorClient, clock, "test-instance", aggregator);
    TokenRotation a = resource("a", "uid-a");
    TokenRotation b = resource("b", "uid-b");
    TokenRotation c = resource("c", "uid-c");

    publisher.warning(a, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    publisher.warning(b, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    publisher.warning(
        a, Reasons.DYNATRACE_UNAVAILABLE, "retrying"); // a is now the most recently used
    publisher.warning(
        c, Reasons.DYNATRACE_UNAVAILABLE, "retrying"); // evicts b, the least recently used
    assertThat(aggregator.size()).isEqualTo(2);

    publisher.warning(
        a, Reasons.DYNATRACE_UNAVAILABLE, "retrying"); // still known: updates its event
    publisher.warning(
        b, Reasons.DYNATRACE_UNAVAILABLE, "retrying"); // forgotten: a second object for b

    assertThat(events())
        .extracting(e -> e.getInvolvedObject().getName() + " x" + e.getCount())
        .containsExactlyInAnyOrder("a x3", "b x1", "b x1", "c x1");
    assertThat(aggregator.size()).isEqualTo(2);
  }

  @Test
  void concurrentIdenticalEventsOfOneResourceMakeOneObjectCountingEveryOccurrence()
      throws Exception {
    TokenRotation script1 = resource("script1", "uid-1");
    int threads = 8;
    int perThread = 10;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(single(events()).getCount()).isEqualTo(threads * perThread);
    assertThat(eventRequests("POST")).isEqualTo(1);
  }

  @Test
  void aFailedWriteDoesNotFailTheCallerAndTheNextRepeatCountsIt() {
    TokenRotation script1 = resource("script1", "uid-1");
    // 403 (no RBAC for events, say): Fabric8 itself retries 5xx and 429, which would hide the
    // failure here
    kube.faults().failNext(1, "POST", "/api/v1/namespaces/" + namespace + "/events", 403);
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    assertThat(events()).isEmpty();

    clock.advance(Duration.ofSeconds(5));
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    Event event = single(events());
    assertThat(event.getCount()).isEqualTo(2);
    assertThat(event.getFirstTimestamp()).isEqualTo(T0.toString());

    kube.faults().failNext(1, "PATCH", "/api/v1/namespaces/" + namespace + "/events/.*", 403);
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    assertThat(single(events()).getCount()).isEqualTo(2);
    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");
    assertThat(single(events()).getCount()).isEqualTo(4);
  }

  @Test
  void anApiServerAnsweringConflictThenNotFoundCostsThreeRequestsNotALoop() {
    TokenRotation script1 = resource("script1", "uid-1");
    kube.faults().failNext(2, "POST", "/api/v1/namespaces/" + namespace + "/events", 409);

    publisher.warning(script1, Reasons.DYNATRACE_UNAVAILABLE, "retrying");

    // POST 409 (exists?), PATCH 404 (no), POST 409 again: given up until the next occurrence
    assertThat(eventRequests("POST")).isEqualTo(2);
    assertThat(eventRequests("PATCH")).isEqualTo(1);
    assertThat(events()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private TokenRotation resource(String name, String uid) {
    TokenRotation resource = new TokenRotation();
    resource.getMetadata().setName(name);
    resource.getMetadata().setNamespace(namespace);
    resource.getMetadata().setUid(uid);
    return resource;
  }

  /** What {@code kubectl get events -n NAMESPACE} lists, oldest first. */
  private List<Event> events() {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp))
        .toList();
  }

  private static Event single(List<Event> events) {
    assertThat(events).hasSize(1);
    return events.get(0);
  }

  /** Requests the publisher made for events of this test's namespace. */
  private long eventRequests(String method) {
    String prefix = "/api/v1/namespaces/" + namespace + "/events";
    return kube.requests().stream()
        .filter(
            r ->
                AGENT.equals(r.userAgent())
                    && method.equals(r.method())
                    && r.path().startsWith(prefix))
        .count();
  }
}
