package io.tokenrotation.operator.it;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.app.OperatorOptions;
import io.tokenrotation.operator.connect.KubernetesConnectionResolver;
import io.tokenrotation.operator.deploy.DeployManifests;
import io.tokenrotation.operator.failure.Backoff;
import io.tokenrotation.operator.status.Conditions;
import io.tokenrotation.operator.testing.NamespaceObjects;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.TokenView;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;

/**
 * Everything an integration test needs, in-process: the embedded Kubernetes API with the committed
 * CRDs, the Vault and Dynatrace simulators seeded like the seed's setup, and the real operator
 * (same wiring as in a cluster).
 */
public final class TestWorld implements AutoCloseable {
  static {
    // IT classes run concurrently, and some crash their operator on purpose (an Error on a
    // reconcile
    // thread). Awaitility's default would report such an Error in whichever test of any class is
    // waiting at that moment; each test checks its own world's outcome instead.
    Awaitility.doNotCatchUncaughtExceptionsByDefault();
  }

  public static final String NAMESPACE = "team-a";

  /** What {@link #passTime} writes to wake the operator (the operator does not read it). */
  static final String PASSED_TIME_ANNOTATION = "test.tokenrotation.io/passed-time";

  public static final Path CRD = Path.of("..", "crds", "tokenrotations.tokenrotation.io-v1.yml");
  public static final Path CLEANUP_CRD =
      Path.of("..", "crds", "tokencleanuppolicies.tokenrotation.io-v1.yml");

  /**
   * The world's time: the operator's clock and Vault's (real time until a test passes time with
   * {@link #passTime}). Dynatrace has its own, {@link #dynatraceClock}, which seeding moves back to
   * make old tokens; passing time moves both.
   */
  public final SettableClock clock = new SettableClock();

  public final SettableClock dynatraceClock = new SettableClock();
  public final EmbeddedKubernetes kube;
  public final VaultSimulator vault;
  public final DynatraceSimulator dynatrace;
  public final KubernetesClient client;
  public final Map<String, String> seeded;
  private OperatorApp operator;
  private KubernetesClient operatorClient;

  private TestWorld() throws Exception {
    kube = EmbeddedKubernetes.start(0);
    kube.installCrd(CRD);
    kube.installCrd(CLEANUP_CRD);
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
    dynatrace = DynatraceSimulator.start(0, dynatraceClock);
    // The seeded tokens are two hours old, so a resource with a shorter interval is due at once.
    dynatraceClock.advance(Duration.ofHours(-2));
    seeded = SeedState.apply(vault, dynatrace);
    dynatraceClock.advance(Duration.ofHours(2));
  }

  /**
   * A new world, for {@link TestWorlds} only: a test gets its world from that extension (a style
   * rule keeps it so), which shapes it and closes it.
   */
  static TestWorld start() throws Exception {
    return new TestWorld();
  }

  /** {@link #start()} without a throws clause. */
  static TestWorld startUnchecked() {
    try {
      return start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the test world", e);
    }
  }

  public TestWorld startOperator() {
    return startOperator(testOptions());
  }

  /** Production options with a short backoff (0.5 s doubling up to 2 s). */
  public static OperatorOptions testOptions() {
    return OperatorOptions.defaults()
        .withBackoff(
            new Backoff(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  public TestWorld startOperator(OperatorOptions options) {
    return startOperator(options, OperatorConfig.defaults());
  }

  /** Starts the operator with {@code options}, on the world's {@link #clock}. */
  public TestWorld startOperator(OperatorOptions options, OperatorConfig config) {
    operatorClient = kube.newClient("token-rotation-operator");
    operator = OperatorApp.start(operatorClient, allowed(config), options.withClock(clock));
    return this;
  }

  /**
   * Lets {@code span} pass at once: moves the world's clocks, then wakes the operator for every
   * TokenRotation (an annotation edit, as any change of the resource would), so that what fell due
   * meanwhile (a retirement after its grace period, a retry after its backoff, a restart after its
   * debounce) happens now instead of when the operator's real-time timer fires.
   */
  public void passTime(Duration span) {
    clock.advance(span);
    dynatraceClock.advance(span);
    String now = clock.instant().toString();
    for (TokenRotation tr :
        client.resources(TokenRotation.class).inNamespace(NAMESPACE).list().getItems()) {
      retryingConflicts(
          () ->
              client
                  .resources(TokenRotation.class)
                  .inNamespace(NAMESPACE)
                  .withName(tr.getMetadata().getName())
                  .edit(
                      r -> {
                        Map<String, String> annotations =
                            new HashMap<>(
                                Optional.ofNullable(r.getMetadata().getAnnotations())
                                    .orElse(Map.of()));
                        annotations.put(PASSED_TIME_ANNOTATION, now);
                        r.getMetadata().setAnnotations(annotations);
                        return r;
                      }));
    }
  }

  /**
   * {@code config} whose allow-lists name exactly this world's simulators (as the sandbox's do).
   */
  public OperatorConfig allowed(OperatorConfig config) {
    return config.allowing(vault.baseUrl(), dynatrace.baseUrl());
  }

  /**
   * The operator with its production API client ({@link OperatorApp#kubernetesClient}: room for a
   * request per reconcile thread, where a plain client allows 5 per host), straight to the embedded
   * API server rather than through the kubectl front. For fleets, where the API client is what
   * limits throughput.
   */
  public TestWorld startOperatorWithProductionClient(
      OperatorOptions options, OperatorConfig config) {
    operatorClient =
        OperatorApp.kubernetesClient(kube.directConfig("token-rotation-operator"), config);
    operator = OperatorApp.start(operatorClient, allowed(config), options.withClock(clock));
    return this;
  }

  /** The running operator (its metrics, for instance); null when stopped. */
  public OperatorApp operator() {
    return operator;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
      operator = null;
    }
  }

  // ---------------------------------------------------------------- Kubernetes helpers

  public TokenRotation apply(TokenRotation resource) {
    resource.getMetadata().setNamespace(NAMESPACE);
    return client.resources(TokenRotation.class).inNamespace(NAMESPACE).resource(resource).create();
  }

  /**
   * Creates a TokenRotation or TokenCleanupPolicy from its JSON as kubectl would, without the API
   * classes: whatever the document holds is stored (the embedded API server applies no schema).
   */
  public GenericKubernetesResource createRaw(String json) {
    GenericKubernetesResource resource =
        Serialization.unmarshal(json, GenericKubernetesResource.class);
    resource.getMetadata().setNamespace(NAMESPACE);
    return raw(resource.getKind()).resource(resource).create();
  }

  /** A TokenRotation or TokenCleanupPolicy as stored, without the API classes. */
  public GenericKubernetesResource getRaw(String kind, String name) {
    return raw(kind).withName(name).get();
  }

  /** Changes the status the way {@code kubectl edit --subresource=status} would, as plain JSON. */
  public GenericKubernetesResource editRawStatus(
      String kind, String name, Consumer<Map<String, Object>> change) {
    return retryingConflicts(
        () ->
            raw(kind)
                .withName(name)
                .editStatus(
                    r -> {
                      @SuppressWarnings("unchecked")
                      Map<String, Object> status =
                          (Map<String, Object>) r.getAdditionalProperties().get("status");
                      change.accept(status);
                      return r;
                    }));
  }

  private NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      raw(String kind) {
    String plural =
        switch (kind) {
          case "TokenRotation" -> "tokenrotations";
          case "TokenCleanupPolicy" -> "tokencleanuppolicies";
          default -> throw new IllegalArgumentException(kind);
        };
    return client
        .genericKubernetesResources(
            new ResourceDefinitionContext.Builder()
                .withGroup(TokenRotation.GROUP)
                .withVersion(TokenRotation.VERSION)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build())
        .inNamespace(NAMESPACE);
  }

  public TokenRotation get(String name) {
    return client.resources(TokenRotation.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public void secret(String name, Map<String, String> data) {
    NamespaceObjects.secret(client, NAMESPACE, name, data);
  }

  /**
   * The operator's own namespace ({@code token-rotation-system}), where leader election keeps its
   * Lease, for tests that run operators with leader election.
   */
  public TestWorld withOperatorNamespace() {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(DeployManifests.OPERATOR_NAMESPACE)
                .endMetadata()
                .build())
        .create();
    return this;
  }

  /**
   * The Secret {@link Resources#VAULT_TOKEN_SECRET} with Vault's root token, which {@link
   * Resources#rotation} logs in with; returns this world for chaining.
   */
  public TestWorld withRootTokenSecret() {
    secret(Resources.VAULT_TOKEN_SECRET, Map.of("token", vault.rootToken()));
    return this;
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

  public Optional<Condition> condition(String name, String type) {
    TokenRotation tr = get(name);
    return tr == null || tr.getStatus() == null
        ? Optional.empty()
        : Conditions.find(tr.getStatus().getConditions(), type);
  }

  public TokenRotation await(String name, String what, Predicate<TokenRotation> until) {
    Awaitility.await()
        .alias(name + ": " + what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              TokenRotation tr = get(name);
              return tr != null && until.test(tr);
            });
    return get(name);
  }

  public TokenRotation awaitReady(String name, String reason) {
    return await(
        name,
        "Ready=True/" + reason,
        tr ->
            tr.getStatus() != null
                && Conditions.find(tr.getStatus().getConditions(), Conditions.READY)
                    .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason()))
                    .orElse(false));
  }

  public TokenRotation awaitCondition(String name, String type, String status, String reason) {
    return await(
        name,
        type + "=" + status + "/" + reason,
        tr ->
            tr.getStatus() != null
                && Conditions.find(tr.getStatus().getConditions(), type)
                    .map(c -> status.equals(c.getStatus()) && reason.equals(c.getReason()))
                    .orElse(false));
  }

  public TokenRotation awaitStalled(String name, String reason) {
    return await(
        name,
        "Stalled=True/" + reason,
        tr ->
            tr.getStatus() != null
                && Conditions.find(tr.getStatus().getConditions(), Conditions.STALLED)
                    .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason()))
                    .orElse(false));
  }

  /**
   * Waits for a Warning event with {@code reason}: events are posted after the status write they
   * report, so a test that saw the status may not see the event yet (it showed under parallel
   * load).
   */
  public void awaitWarning(String name, String reason) {
    Awaitility.await()
        .alias(name + ": Warning " + reason)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> warnings(name).stream().anyMatch(e -> reason.equals(e.getReason())));
  }

  /**
   * Waits for an event of any type with {@code reason} (events follow the status write they
   * report).
   */
  public void awaitEvent(String name, String reason) {
    Awaitility.await()
        .alias(name + ": event " + reason)
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> eventReasons(name).contains(reason));
  }

  public List<Event> events(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  public List<String> eventReasons(String name) {
    return events(name).stream().map(Event::getReason).toList();
  }

  // ---------------------------------------------------------------- Vault / Dynatrace helpers

  /** The token the secret holds now (field token of secret/&lt;path&gt;). */
  public String vaultToken(String path) {
    return vault.readKv("", "secret", path).map(m -> m.get("token")).orElse(null);
  }

  public static String idOf(String token) {
    return token == null ? null : token.substring(0, 31);
  }

  /** Upstream calls so far (both simulators). */
  public long upstreamCalls() {
    return vault.journal().size() + dynatrace.journal().size();
  }

  /** Ids of every token Dynatrace holds now. */
  public List<String> tokensBefore() {
    return dynatrace.tokens().stream().map(TokenView::id).toList();
  }

  /** Dynatrace token-create calls so far (POST /api/v2/apiTokens). */
  public long dynatraceCreates() {
    return dynatrace.journal().count("POST", "/api/v2/apiTokens");
  }

  /** Every Dynatrace token (any state) with this name. */
  public List<TokenView> tokensNamed(String name) {
    return dynatrace.tokens().stream().filter(t -> name.equals(t.name())).toList();
  }

  /**
   * Calls the simulated Dynatrace v2 API with {@code token} (what an admin would do with curl);
   * returns the status.
   */
  public int dynatraceApi(String method, String path, String token, String jsonBody) {
    try {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(dynatrace.baseUrl() + path))
              .header("Authorization", "Api-Token " + token)
              .header("Content-Type", "application/json");
      request.method(
          method,
          jsonBody == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(jsonBody));
      return HttpClient.newHttpClient()
          .send(request.build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Changes a TokenRotation the way {@code kubectl edit} would (spec/metadata only). */
  public TokenRotation edit(String name, UnaryOperator<TokenRotation> change) {
    return retryingConflicts(
        () ->
            client
                .resources(TokenRotation.class)
                .inNamespace(NAMESPACE)
                .withName(name)
                .edit(change));
  }

  /**
   * Like kubectl edit: the operator may write status between our read and our patch (409): read
   * again and retry.
   */
  public static <T> T retryingConflicts(Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** {@code kubectl annotate --overwrite}. */
  public TokenRotation annotate(String name, String key, String value) {
    return edit(
        name,
        tr -> {
          Map<String, String> annotations =
              new HashMap<>(
                  tr.getMetadata().getAnnotations() == null
                      ? Map.of()
                      : tr.getMetadata().getAnnotations());
          annotations.put(key, value);
          tr.getMetadata().setAnnotations(annotations);
          return tr;
        });
  }

  public void delete(String name) {
    client.resources(TokenRotation.class).inNamespace(NAMESPACE).withName(name).delete();
  }

  public void awaitGone(String name) {
    Awaitility.await()
        .alias(name + " deleted")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(name) == null);
  }

  /**
   * Starts recording every status of {@code name} (create it before the resource exists to miss
   * nothing).
   */
  public StatusHistory history(String name) {
    return new StatusHistory(this, name);
  }

  public List<Event> warnings(String name) {
    return events(name).stream().filter(e -> "Warning".equals(e.getType())).toList();
  }

  public void clearJournals() {
    vault.journal().clear();
    dynatrace.journal().clear();
  }

  @Override
  public void close() {
    stopOperator();
    dynatrace.close();
    vault.close();
    kube.close();
  }
}
