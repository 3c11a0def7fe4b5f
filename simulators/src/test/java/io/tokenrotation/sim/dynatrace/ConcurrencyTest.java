package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** 1,024 real HTTP calls from 64 threads: every one succeeds and the store ends consistent. */
class ConcurrencyTest extends SimulatorTestBase {
  private static final int THREADS = 64;
  private static final int CALLS_PER_THREAD = 16;

  @Test
  void concurrentCreatesListsLookupsAndDeletesAllSucceed() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    AtomicInteger created = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < CALLS_PER_THREAD / 4; i++) {
                    DtHttp.Reply create =
                        http.post(
                            "/api/v2/apiTokens",
                            createBody("c" + thread + "-" + i, "metrics.read"));
                    String secret = create.json().get("token").asText();
                    DtHttp.Reply lookup =
                        http.post("/api/v2/apiTokens/lookup", "{\"token\":\"" + secret + "\"}");
                    DtHttp.Reply list = http.get("/api/v1/tokens?limit=5");
                    DtHttp.Reply delete =
                        http.delete("/api/v2/apiTokens/" + create.json().get("id").asText());
                    for (DtHttp.Reply reply : List.of(create, lookup, list, delete)) {
                      statuses.merge(reply.status(), 1, Integer::sum);
                    }
                    created.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(statuses).containsOnlyKeys(200, 201, 204);
    assertThat(statuses.values().stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(THREADS * CALLS_PER_THREAD);
    assertThat(created.get()).isEqualTo(THREADS * CALLS_PER_THREAD / 4);
    assertThat(sim.tokens()).extracting(TokenView::id).containsExactly(admin.id());
    assertThat(sim.journal().size()).isEqualTo(THREADS * CALLS_PER_THREAD);
    // Every one of the 1,024 calls authenticated with the admin token, so its last use was stamped.
    assertThat(sim.token(admin.id()).orElseThrow().lastUsedIpAddress()).isEqualTo("127.0.0.1");
  }
}
