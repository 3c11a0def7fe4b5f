package io.tokenrotation.operator.testing;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.connect.ConnectionResolver;
import io.tokenrotation.operator.connect.KubernetesConnectionResolver;
import io.tokenrotation.operator.consumers.KubernetesConsumerTargets;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.dynatrace.DynatraceLimits;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.rotation.Checkpoints;
import io.tokenrotation.operator.rotation.RotationController;
import io.tokenrotation.operator.status.KubernetesEventPublisher;
import io.tokenrotation.operator.status.StatusStore;
import io.tokenrotation.operator.vault.VaultClients;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The TokenRotation controller without JOSDK, on a settable clock: a simulated hour runs in well
 * under a second of wall time. Vault and Dynatrace are the simulators (real HTTP, the production
 * clients); Secrets, TokenRequest and Events live in the embedded Kubernetes API; the resources
 * themselves live in an in-memory store that enforces resourceVersion on status writes (409 on a
 * stale copy, as a real API server does).
 *
 * <p>Worst case on purpose: every status write wakes a reconcile of its resource at once (as a
 * watch event would with generation-aware filtering off), and a reschedule replaces the resource's
 * timer, as in JOSDK. A resource whose reconciles do not settle is reported as a loop instead of
 * hanging the test.
 */
public final class ControllerHarness implements AutoCloseable {
  public static final String NAMESPACE = "team-a";
  public static final String VAULT_TOKEN_SECRET = "vault-token";

  /** Far more reconciles than any honest hour needs: beyond it, the resource is looping. */
  private static final int LOOP_LIMIT = 20_000;

  /** The read time-out: long enough that load never causes one. */
  public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

  /**
   * After {@link #shortReadTimeouts()}: below the simulators' stalls, so each attempt times out.
   */
  public static final Duration SHORT_READ_TIMEOUT = Duration.ofMillis(200);

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  public final SettableClock clock = new SettableClock();
  public final EmbeddedKubernetes kube;
  public final VaultSimulator vault;
  public final DynatraceSimulator dynatrace;
  private final KubernetesClient client;
  private final ControllerFactory controllers;
  private RotationController controller;
  private String reconciling;
  private int failStatusWrites;
  private volatile boolean shortReadTimeouts;
  private final Map<String, TokenRotation> objects = new LinkedHashMap<>();
  private final TreeMap<Instant, List<String>> wakeUps = new TreeMap<>();
  private final Map<String, Instant> timers = new LinkedHashMap<>();
  private final List<TokenRotationStatus> writes = new ArrayList<>();
  private final List<Consumer<TokenRotationStatus>> writeChecks = new ArrayList<>();
  private long resourceVersions = 1;
  private int reconciles;

  /** A fresh controller, as a restarted operator process builds it (nothing in memory survives). */
  @FunctionalInterface
  private interface ControllerFactory {
    RotationController create();
  }

  public ControllerHarness(Backoff backoff, Duration vaultCheckInterval) {
    this(backoff, vaultCheckInterval, Checkpoints.NONE);
  }

  /**
   * {@code checkpoints}: called at each {@link io.tokenrotation.operator.rotation.Checkpoint}; an
   * Error thrown there stops the "process" ({@link #runFor} throws it); {@link #restart} starts a
   * fresh controller on the same state.
   */
  public ControllerHarness(Backoff backoff, Duration vaultCheckInterval, Checkpoints checkpoints) {
    kube = EmbeddedKubernetes.start(0, clock);
    client = kube.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    vault = VaultSimulator.start(0, clock);
    vault.jwtVerifier(
        jwt ->
            kube.serviceAccountJwts()
                .verify(jwt, "vault")
                .map(
                    id ->
                        new ServiceAccountIdentity(id.namespace(), id.serviceAccount(), id.uid())));
    dynatrace = DynatraceSimulator.start(0, clock);
    ConnectionResolver normal = resolver(READ_TIMEOUT);
    ConnectionResolver shortWaits = resolver(SHORT_READ_TIMEOUT);
    ConnectionResolver resolver =
        (namespace, target) -> (shortReadTimeouts ? shortWaits : normal).resolve(namespace, target);
    controllers =
        () ->
            new RotationController(
                resolver,
                new KubernetesEventPublisher(client, clock, "harness"),
                clock,
                backoff,
                checkpoints,
                vaultCheckInterval,
                new KubernetesConsumerTargets(client));
    controller = controllers.create();
  }

  public ControllerHarness() {
    this(Backoff.DEFAULT, null);
  }

  private KubernetesConnectionResolver resolver(Duration readTimeout) {
    HttpClients http = new HttpClients(CONNECT_TIMEOUT, readTimeout);
    return new KubernetesConnectionResolver(
        client,
        OperatorConfig.defaults().allowing(vault.baseUrl(), dynatrace.baseUrl()).connectionPolicy(),
        new VaultClients(http, UpstreamCallListener.NONE),
        new DynatraceClients(http, DynatraceLimits.NONE, clock, UpstreamCallListener.NONE),
        clock);
  }

  /**
   * From now on calls wait {@link #SHORT_READ_TIMEOUT} for an answer instead of {@link
   * #READ_TIMEOUT}: for a test of a stalled upstream, so that each stalled attempt costs a fifth of
   * a second of wall time, not five. Switch it on when the stall starts: before that, a slow answer
   * on a loaded machine (test classes run concurrently) would pass for a time-out.
   */
  public void shortReadTimeouts() {
    shortReadTimeouts = true;
  }

  // ---------------------------------------------------------------- the world

  /** The decoded value of {@code key} in the Secret {@code name}, or null. */
  public String secretValue(String name, String key) {
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(name).get();
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      return null;
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  public void secret(String name, Map<String, String> data) {
    NamespaceObjects.secret(client, NAMESPACE, name, data);
  }

  /**
   * A service account whose namespace admin lets the operator log in to Vault as it (the opt-in
   * annotation).
   */
  public void serviceAccount(String name) {
    serviceAccount(name, Map.of(KubernetesConnectionResolver.VAULT_LOGIN_ANNOTATION, "true"));
  }

  public void serviceAccount(String name, Map<String, String> annotations) {
    NamespaceObjects.serviceAccount(client, NAMESPACE, name, annotations);
  }

  /** The Secret with Vault's root token that {@link Fixtures#rotation} logs in with. */
  /**
   * The seed's Vault secrets and Dynatrace tokens (SeedState), the tokens created ten minutes
   * before now; returns path -> token id.
   */
  public Map<String, String> seedTenMinutesAgo() {
    clock.advance(Duration.ofMinutes(-10));
    Map<String, String> seeded = SeedState.apply(vault, dynatrace);
    clock.advance(Duration.ofMinutes(10));
    return seeded;
  }

  public ControllerHarness withRootTokenSecret() {
    secret(VAULT_TOKEN_SECRET, Map.of("token", vault.rootToken()));
    return this;
  }

  /** Every Event object about a resource, Normal and Warning. */
  public List<Event> events(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Warning Event objects about a resource (what {@code kubectl describe} lists). */
  public List<Event> warnings(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .filter(e -> "Warning".equals(e.getType()))
        .toList();
  }

  public long upstreamCalls() {
    return vault.journal().size() + dynatrace.journal().size();
  }

  public void clearJournals() {
    vault.journal().clear();
    dynatrace.journal().clear();
  }

  // ---------------------------------------------------------------- resources

  /** Creates the resource (as kubectl apply would) and wakes its first reconcile. */
  public TokenRotation apply(TokenRotation resource) {
    resource.getMetadata().setNamespace(NAMESPACE);
    resource.getMetadata().setUid("uid-" + resource.getMetadata().getName());
    resource.getMetadata().setGeneration(1L);
    resource.getMetadata().setCreationTimestamp(clock.instant().toString());
    resource.getMetadata().setResourceVersion(Long.toString(resourceVersions++));
    objects.put(resource.getMetadata().getName(), copy(resource));
    wake(resource.getMetadata().getName(), clock.instant());
    return get(resource.getMetadata().getName());
  }

  public TokenRotation get(String name) {
    TokenRotation stored = objects.get(name);
    return stored == null ? null : copy(stored);
  }

  /**
   * A user's edit (kubectl edit/annotate): spec changes bump the generation; it wakes a reconcile.
   */
  public TokenRotation edit(String name, Consumer<TokenRotation> change) {
    TokenRotation before = objects.get(name);
    TokenRotation edited = copy(before);
    change.accept(edited);
    if (!Serialization.asJson(edited.getSpec()).equals(Serialization.asJson(before.getSpec()))) {
      edited.getMetadata().setGeneration(before.getMetadata().getGeneration() + 1);
    }
    edited.setStatus(before.getStatus());
    edited.getMetadata().setResourceVersion(Long.toString(resourceVersions++));
    objects.put(name, copy(edited));
    wake(name, clock.instant());
    return get(name);
  }

  /** The status as another writer left it (e.g. an older operator version); wakes nothing. */
  public void rewriteStatus(String name, Consumer<TokenRotationStatus> change) {
    TokenRotation stored = copy(objects.get(name));
    change.accept(stored.getStatus());
    stored.getMetadata().setResourceVersion(Long.toString(resourceVersions++));
    objects.put(name, stored);
  }

  /**
   * Deletes the resource: runs the finalizer once; empty = finalizer removed (the object is gone).
   */
  public Optional<Duration> delete(String name) {
    Optional<Duration> retry = controller.cleanup(get(name), store(), cache());
    if (retry.isEmpty()) {
      objects.remove(name);
    }
    return retry;
  }

  /** Every status the operator wrote, in order. */
  public List<TokenRotationStatus> writes() {
    return writes;
  }

  /** Runs after every status write (e.g. an invariant that must hold at every moment). */
  public void onEveryWrite(Consumer<TokenRotationStatus> check) {
    writeChecks.add(check);
  }

  public int reconciles() {
    return reconciles;
  }

  /**
   * The resource being reconciled right now (for a checkpoint hook), or null between reconciles.
   */
  public String reconciling() {
    return reconciling;
  }

  /**
   * The operator process died (an Error out of {@link #runFor}) and starts again: a fresh
   * controller, nothing in memory kept, every resource reconciled at once (as JOSDK does on start).
   */
  public void restart() {
    controller = controllers.create();
    reconciling = null;
    wakeUps.clear();
    timers.clear();
    objects.keySet().forEach(name -> wake(name, clock.instant()));
  }

  /**
   * The next {@code times} status writes fail with 409, as when someone edits the resource in
   * between.
   */
  public void failNextStatusWrites(int times) {
    failStatusWrites = times;
  }

  // ---------------------------------------------------------------- time

  /**
   * Reconciles whatever falls due until {@code span} of simulated time has passed; the clock ends
   * there.
   */
  public void runFor(Duration span) {
    Instant end = clock.instant().plus(span);
    while (!wakeUps.isEmpty() && !wakeUps.firstKey().isAfter(end)) {
      Map.Entry<Instant, List<String>> next = wakeUps.pollFirstEntry();
      if (next.getKey().isAfter(clock.instant())) {
        clock.fix(next.getKey());
      }
      for (String name : new ArrayList<>(next.getValue())) {
        reconcileNow(name);
      }
    }
    clock.fix(end);
  }

  /** Until nothing is left to do at this instant (the clock does not move). */
  public void settle() {
    runFor(Duration.ZERO);
  }

  private void reconcileNow(String name) {
    TokenRotation resource = get(name);
    if (resource == null) {
      return;
    }
    if (++reconciles > LOOP_LIMIT) {
      throw new AssertionError(
          name + " is looping: " + LOOP_LIMIT + " reconciles by " + clock.instant());
    }
    reconciling = name;
    Optional<Duration> again = controller.reconcile(resource, store(), cache());
    reconciling = null;
    Instant previous = timers.remove(name);
    if (previous != null) {
      List<String> names = wakeUps.get(previous);
      if (names != null) {
        names.remove(name);
        if (names.isEmpty()) {
          wakeUps.remove(previous);
        }
      }
    }
    again.ifPresent(
        d -> {
          Instant at = clock.instant().plus(d);
          timers.put(name, at);
          wakeUps.computeIfAbsent(at, k -> new ArrayList<>()).add(name);
        });
  }

  private void wake(String name, Instant at) {
    List<String> names = wakeUps.computeIfAbsent(at, k -> new ArrayList<>());
    if (!names.contains(name)) {
      names.add(name);
    }
  }

  // ---------------------------------------------------------------- what the API server would do

  private StatusStore store() {
    return resource -> {
      String name = resource.getMetadata().getName();
      TokenRotation stored = objects.get(name);
      boolean injected = failStatusWrites > 0 && failStatusWrites-- > 0;
      if (injected
          || stored == null
          || !stored
              .getMetadata()
              .getResourceVersion()
              .equals(resource.getMetadata().getResourceVersion())) {
        throw new KubernetesClientException(
            "the object has been modified",
            409,
            new StatusBuilder().withCode(409).withReason("Conflict").build());
      }
      TokenRotation updated = copy(stored);
      updated.setStatus(copy(resource).getStatus());
      updated.getMetadata().setResourceVersion(Long.toString(resourceVersions++));
      objects.put(name, updated);
      writes.add(updated.getStatus());
      writeChecks.forEach(check -> check.accept(updated.getStatus()));
      wake(name, clock.instant()); // the watch event of our own write
      return copy(updated);
    };
  }

  private RotationController.Cache cache() {
    return new RotationController.Cache() {
      @Override
      public List<TokenRotation> bySlot(String slotKey) {
        return all().stream()
            .filter(r -> controller.slotOf(r).map(slotKey::equals).orElse(false))
            .toList();
      }

      @Override
      public List<TokenRotation> all() {
        return objects.values().stream().map(ControllerHarness::copy).toList();
      }
    };
  }

  private static TokenRotation copy(TokenRotation resource) {
    return Serialization.unmarshal(Serialization.asJson(resource), TokenRotation.class);
  }

  @Override
  public void close() {
    dynatrace.close();
    vault.close();
    kube.close();
  }
}
