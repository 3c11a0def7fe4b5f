package io.tokenrotation.sim.dynatrace;

import io.tokenrotation.sim.http.FaultInjector;
import io.tokenrotation.sim.http.JournalEntry;
import io.tokenrotation.sim.http.RequestJournal;
import io.tokenrotation.sim.http.SimHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An in-memory Dynatrace environment serving the token APIs v2 ({@code /api/v2/apiTokens}) and v1
 * ({@code /api/v1/tokens}) over one store, on 127.0.0.1. Thread-safe. Secrets are stored only as
 * SHA-256 hashes, are never logged, and are masked in the request journal.
 */
public final class DynatraceSimulator implements AutoCloseable {
  private static final Pattern API_TOKEN_QUERY = Pattern.compile("(?i)(^|&)(api-token=)[^&]*");

  private final ApiTokenStore store;
  private final AtomicReference<ScopeCatalogue> catalogue;
  private final EnvironmentThrottle throttle;
  private final SimHttpServer server;

  private DynatraceSimulator(int port, Clock clock, ScopeCatalogue catalogue) throws IOException {
    this.store = new ApiTokenStore(clock);
    this.catalogue = new AtomicReference<>(catalogue);
    this.throttle = new EnvironmentThrottle(clock);
    this.server =
        new SimHttpServer(
            "dynatrace",
            SimHttpServer.loopback(port),
            new DynatraceService(store, this.catalogue::get),
            new AdminRoutes(this),
            DynatraceErrorBodies::forStatus,
            clock);
    server.journalRedactor(DynatraceSimulator::redact);
    server.admission(throttle);
  }

  public static DynatraceSimulator start(int port) {
    return start(port, Clock.systemUTC());
  }

  public static DynatraceSimulator start(int port, Clock clock) {
    return start(port, clock, ScopeCatalogue.defaults());
  }

  /**
   * With another scope catalogue, e.g. {@code
   * ScopeCatalogue.defaults().withAdditional(List.of("new.scope"))}.
   */
  public static DynatraceSimulator start(int port, Clock clock, ScopeCatalogue catalogue) {
    try {
      DynatraceSimulator simulator = new DynatraceSimulator(port, clock, catalogue);
      simulator.server.start();
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Dynatrace simulator on port " + port, e);
    }
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  public int port() {
    return server.port();
  }

  public FaultInjector faults() {
    return server.faults();
  }

  public RequestJournal journal() {
    return server.journal();
  }

  /**
   * Seeds a token without going through the API (no auth, no throttling, not journaled). Any known
   * scope is accepted, retired ones included (a token created before the scope was retired), and
   * the expiration may lie in the past so tests can seed expired tokens.
   */
  public IssuedToken createToken(
      String name, Collection<String> scopes, String owner, Instant expirationOrNull) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(scopes, "scopes");
    for (String scope : scopes) {
      if (!catalogue.get().known(scope)) {
        throw new IllegalArgumentException("unknown scope '" + scope + "'");
      }
    }
    return store.create(
        name, List.copyOf(new LinkedHashSet<>(scopes)), owner, expirationOrNull, false);
  }

  /**
   * Like {@link #createToken(String, Collection, String, Instant)}, with a token history the API
   * cannot produce on its own: created at {@code createdAt} (e.g. 120 days ago) and, when {@code
   * lastUsedOrNull} is set, last used then (from 127.0.0.1). For seeding stale tokens; the real
   * service sets both dates itself.
   */
  public IssuedToken createToken(
      String name,
      Collection<String> scopes,
      String owner,
      Instant expirationOrNull,
      Instant createdAt,
      Instant lastUsedOrNull) {
    Objects.requireNonNull(createdAt, "createdAt");
    if (lastUsedOrNull != null && lastUsedOrNull.isBefore(createdAt)) {
      throw new IllegalArgumentException("a token cannot be used before it was created");
    }
    IssuedToken created = createToken(name, scopes, owner, expirationOrNull);
    store.rewriteHistory(created.id(), createdAt, lastUsedOrNull);
    return created;
  }

  /** A snapshot of the token's metadata; never its secret. */
  public Optional<TokenView> token(String id) {
    return store.byId(id).map(StoredToken::view);
  }

  /** All tokens in creation order. */
  public List<TokenView> tokens() {
    return store.all().stream().map(StoredToken::view).toList();
  }

  /**
   * Whether this secret would authenticate a call now (exists, enabled, not expired); does not
   * count as a use.
   */
  public boolean authenticates(String secret) {
    return store.authenticates(secret);
  }

  /**
   * How the environment throttles from now on; default {@link Throttling#off()}. Requests already
   * waiting in a capacity queue are re-examined under the new setting.
   */
  public void throttling(Throttling throttling) {
    throttle.configure(Objects.requireNonNull(throttling, "throttling"));
  }

  public Throttling throttling() {
    return throttle.settings();
  }

  /**
   * Under {@link Throttling.Capacity}: requests being processed and queued now, and refusals since
   * configured.
   */
  public CapacityLoad capacityLoad() {
    return throttle.capacityLoad();
  }

  /**
   * Waits (at most {@code timeout}) until the capacity load satisfies {@code until}; false on
   * time-out. For tests.
   */
  public boolean awaitCapacityLoad(Predicate<CapacityLoad> until, Duration timeout)
      throws InterruptedException {
    return throttle.awaitCapacityLoad(until, timeout);
  }

  /**
   * Retires scopes from now on, as Dynatrace does in a breaking API change: tokens that carry them
   * keep showing them, creates and updates naming them are refused with 400.
   */
  public void retireScopes(Collection<String> scopes) {
    catalogue.updateAndGet(c -> c.retiring(scopes));
  }

  public ScopeCatalogue scopes() {
    return catalogue.get();
  }

  ApiTokenStore store() {
    return store;
  }

  @Override
  public void close() {
    server.close();
  }

  /**
   * Masks any full token in the path ({@code DELETE /apiTokens/<secret>}) and the {@code api-token}
   * parameter.
   */
  private static JournalEntry redact(JournalEntry e) {
    String query =
        e.query() == null
            ? null
            : API_TOKEN_QUERY.matcher(TokenFormat.maskSecrets(e.query())).replaceAll("$1$2***");
    return new JournalEntry(
        e.time(),
        e.method(),
        TokenFormat.maskSecrets(e.path()),
        query,
        e.status(),
        e.principal(),
        e.injected());
  }

  @Override
  public String toString() {
    return server.toString();
  }
}
