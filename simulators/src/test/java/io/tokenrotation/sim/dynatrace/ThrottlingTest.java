package io.tokenrotation.sim.dynatrace;

import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.V2;
import static io.tokenrotation.sim.dynatrace.OpenApiSchemas.assertValid;
import static org.assertj.core.api.Assertions.assertThat;

import io.tokenrotation.sim.http.FaultRule;
import io.tokenrotation.sim.http.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Capacity throttling (contract section 4): N requests processed at once, a bounded queue, 429
 * without any header when the queue is full or a request waited past the queue time-out. Requests
 * are held busy with a latch (a HOLD fault) and the queue time-out is passed by moving the
 * simulator's clock: no test sleeps.
 */
class ThrottlingTest extends SimulatorTestBase {
  private static final String LIST = "/api/v2/apiTokens";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final CountDownLatch release = new CountDownLatch(1);

  /** A thread per request: the common pool may have a single thread, and these requests block. */
  private final ExecutorService clients = Executors.newCachedThreadPool();

  @AfterEach
  void releaseHeldRequests() {
    release.countDown();
    clients.shutdown();
  }

  @Test
  void offByDefault() {
    assertThat(sim.throttling()).isEqualTo(Throttling.off());
    assertThat(http.as(null).get("/__sim/throttling").json().get("mode").asText()).isEqualTo("off");
  }

  @Test
  void aFullQueueIsABare429AndTheOthersAreServed() throws Exception {
    sim.throttling(Throttling.capacity(1, 1));
    CompletableFuture<DtHttp.Reply> processing = holdBusy(1);
    CompletableFuture<DtHttp.Reply> queued =
        CompletableFuture.supplyAsync(() -> http.get(LIST), clients);
    awaitLoad(load -> load.queued() == 1);

    DtHttp.Reply refused = http.get(LIST);

    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.json().at("/error/code").asInt()).isEqualTo(429);
    assertValid(V2, "ErrorEnvelope", refused.body());
    assertThat(refused.headers().map().keySet())
        .noneMatch(
            h -> h.toLowerCase().startsWith("x-ratelimit") || h.equalsIgnoreCase("retry-after"));
    assertThat(sim.capacityLoad().refusedQueueFull()).isEqualTo(1);
    release.countDown();
    assertThat(processing.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(queued.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(sim.journal().entries())
        .extracting(JournalEntry::status)
        .containsExactly(429, 200, 200);
    assertThat(sim.journal().entries().get(0).injected())
        .as("the service's own answer, not a fault")
        .isFalse();
  }

  @Test
  void aRequestQueuedLongerThanTheTimeoutIs429() throws Exception {
    sim.throttling(Throttling.capacity(1, 4));
    holdBusy(1);
    CompletableFuture<DtHttp.Reply> queued =
        CompletableFuture.supplyAsync(() -> http.get(LIST), clients);
    awaitLoad(load -> load.queued() == 1);

    clock.advance(Throttling.DOCUMENTED_QUEUE_TIMEOUT.plusMillis(1));

    DtHttp.Reply timedOut = queued.get(10, TimeUnit.SECONDS);
    assertThat(timedOut.status()).isEqualTo(429);
    assertThat(timedOut.header("X-RateLimit-Reset")).isNull();
    assertThat(sim.capacityLoad()).isEqualTo(new CapacityLoad(1, 0, 0, 1));
  }

  @Test
  void theQueueIsServedInArrivalOrderAsPlacesFree() throws Exception {
    sim.throttling(Throttling.capacity(1, 2));
    CompletableFuture<DtHttp.Reply> processing = holdBusy(1);
    CompletableFuture<DtHttp.Reply> first =
        CompletableFuture.supplyAsync(() -> http.get(LIST + "?pageSize=101"), clients);
    awaitLoad(load -> load.queued() == 1);
    CompletableFuture<DtHttp.Reply> second =
        CompletableFuture.supplyAsync(() -> http.get(LIST + "?pageSize=102"), clients);
    awaitLoad(load -> load.queued() == 2);

    release.countDown();

    for (CompletableFuture<DtHttp.Reply> reply : List.of(processing, first, second)) {
      assertThat(reply.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(sim.journal().entries())
        .extracting(JournalEntry::query)
        .containsExactly(null, "pageSize=101", "pageSize=102");
  }

  @Test
  void upToParallelRequestsAreProcessedAtOnceAndWithoutAQueueTheNextIsRefused() throws Exception {
    sim.throttling(Throttling.capacity(4, 0));
    CompletableFuture<DtHttp.Reply> held = holdBusy(4);

    assertThat(http.get(LIST).status()).isEqualTo(429);
    assertThat(sim.capacityLoad().processing()).isEqualTo(4);
    release.countDown();
    held.get(10, TimeUnit.SECONDS);
    awaitLoad(load -> load.processing() == 0);
    assertThat(http.get(LIST).status()).isEqualTo(200);
  }

  @Test
  void switchingThrottlingOffLetsTheQueueThrough() throws Exception {
    sim.throttling(Throttling.capacity(1, 1));
    holdBusy(1);
    CompletableFuture<DtHttp.Reply> queued =
        CompletableFuture.supplyAsync(() -> http.get(LIST), clients);
    awaitLoad(load -> load.queued() == 1);

    sim.throttling(Throttling.off());

    assertThat(queued.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void theAdminApiConfiguresAndReportsEveryMode() throws Exception {
    DtHttp admin = http.as(null);
    assertThat(
            admin
                .post("/__sim/throttling", "{\"mode\":\"capacity\",\"parallel\":1,\"queue\":0}")
                .status())
        .isEqualTo(204);
    assertThat(sim.throttling()).isEqualTo(Throttling.capacity(1, 0, Duration.ofSeconds(10)));
    holdBusy(1);
    assertThat(http.get(LIST).status()).isEqualTo(429);
    var state = admin.get("/__sim/throttling").json();
    assertThat(state.get("mode").asText()).isEqualTo("capacity");
    assertThat(state.get("queueTimeoutMs").asLong()).isEqualTo(10_000);
    assertThat(state.get("processing").asInt()).isEqualTo(1);
    assertThat(state.get("refusedQueueFull").asLong()).isEqualTo(1);

    assertThat(
            admin
                .post(
                    "/__sim/throttling",
                    "{\"mode\":\"capacity\",\"parallel\":2,\"queue\":3,\"queueTimeoutMs\":500}")
                .status())
        .isEqualTo(204);
    assertThat(sim.throttling()).isEqualTo(Throttling.capacity(2, 3, Duration.ofMillis(500)));
    assertThat(
            admin
                .post("/__sim/throttling", "{\"mode\":\"legacyPerMinute\",\"perMinute\":7}")
                .status())
        .isEqualTo(204);
    assertThat(admin.get("/__sim/throttling").json().get("perMinute").asInt()).isEqualTo(7);
    assertThat(admin.post("/__sim/throttling", "{\"mode\":\"off\"}").status()).isEqualTo(204);
    assertThat(sim.throttling()).isEqualTo(Throttling.off());

    assertThat(admin.post("/__sim/throttling", "{\"mode\":\"fast\"}").status()).isEqualTo(400);
    assertThat(
            admin
                .post("/__sim/throttling", "{\"mode\":\"capacity\",\"parallel\":0,\"queue\":1}")
                .status())
        .isEqualTo(400);
    assertThat(admin.post("/__sim/throttling", "{\"mode\":\"capacity\",\"queue\":1}").status())
        .isEqualTo(400);
    assertThat(sim.journal().entries()).extracting(JournalEntry::status).containsExactly(429);
  }

  @Test
  void theRealisticDefaultOfTheSandboxIsACapacityLimit() {
    assertThat(Throttling.realistic()).isInstanceOf(Throttling.Capacity.class);
    assertThat(((Throttling.Capacity) Throttling.realistic()).queueTimeout())
        .isEqualTo(Throttling.DOCUMENTED_QUEUE_TIMEOUT);
  }

  /**
   * {@code count} list requests held busy until {@link #release} opens; completes when all are
   * answered.
   */
  private CompletableFuture<DtHttp.Reply> holdBusy(int count) throws InterruptedException {
    FaultRule hold = sim.faults().holdNext(count, "GET", LIST, release);
    List<CompletableFuture<DtHttp.Reply>> replies = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replies.add(CompletableFuture.supplyAsync(() -> http.get(LIST), clients));
    }
    assertThat(hold.awaitHeld(count, WAIT)).as(count + " requests held").isTrue();
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .thenApply(v -> replies.get(0).join());
  }

  private void awaitLoad(Predicate<CapacityLoad> until) throws InterruptedException {
    assertThat(sim.awaitCapacityLoad(until, WAIT))
        .as("capacity load reached, now " + sim.capacityLoad())
        .isTrue();
  }
}
