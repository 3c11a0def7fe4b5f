package io.tokenrotation.operator.it;


import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.app.OperatorApp;
import io.tokenrotation.operator.app.OperatorConfig;
import io.tokenrotation.operator.policy.Backoff;
import io.tokenrotation.operator.policy.Conditions;
import io.tokenrotation.sim.SeedState;
import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.http.SettableClock;
import io.tokenrotation.sim.kubernetes.EmbeddedKubernetes;
import io.tokenrotation.sim.vault.ServiceAccountIdentity;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Everything an integration test needs, in-process: the embedded Kubernetes API with the committed CRD, the Vault
 * and Dynatrace simulators seeded like the seed's setup, and the real operator (same wiring as in a cluster).
 */
public final class TestWorld implements AutoCloseable {
  public static final String NAMESPACE = "team-a";
  public static final Path CRD = Path.of("..", "crds", "tokenrotations.tokenrotation.io-v1.yml");

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
    client = kube.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    vault = VaultSimulator.start(0);
    vault.jwtVerifier(jwt -> kube.serviceAccountJwts().verify(jwt, "vault")
        .map(id -> new ServiceAccountIdentity(id.namespace(), id.serviceAccount(), id.uid())));
    dynatrace = DynatraceSimulator.start(0, dynatraceClock);
    // The seeded tokens are two hours old, so a resource with a shorter interval is due at once.
    dynatraceClock.advance(Duration.ofHours(-2));
    seeded = SeedState.apply(vault, dynatrace);
    dynatraceClock.advance(Duration.ofHours(2));
  }

  public static TestWorld start() throws Exception {
    return new TestWorld();
  }

  public TestWorld startOperator() {
    return startOperator(OperatorApp.Options.defaults().withBackoff(new Backoff(Duration.ofMillis(500),
        Duration.ofSeconds(2))));
  }

  public TestWorld startOperator(OperatorApp.Options options) {
    operatorClient = kube.newClient("token-rotation-operator");
    operator = OperatorApp.start(operatorClient, OperatorConfig.defaults(), options);
    return this;
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

  public TokenRotation get(String name) {
    return client.resources(TokenRotation.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public void secret(String name, Map<String, String> data) {
    client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(NAMESPACE).endMetadata().withData(encode(data)).build()).create();
  }

  public void serviceAccount(String name) {
    client.serviceAccounts().inNamespace(NAMESPACE).resource(new ServiceAccountBuilder().withNewMetadata()
        .withName(name).withNamespace(NAMESPACE).endMetadata().build()).create();
  }

  private static Map<String, String> encode(Map<String, String> data) {
    Map<String, String> encoded = new java.util.LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, java.util.Base64.getEncoder().encodeToString(v.getBytes())));
    return encoded;
  }

  public Optional<Condition> condition(String name, String type) {
    TokenRotation tr = get(name);
    return tr == null || tr.getStatus() == null ? Optional.empty()
        : Conditions.find(tr.getStatus().getConditions(), type);
  }

  public TokenRotation await(String name, String what, Predicate<TokenRotation> until) {
    org.awaitility.Awaitility.await().alias(name + ": " + what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          TokenRotation tr = get(name);
          return tr != null && until.test(tr);
        });
    return get(name);
  }

  public TokenRotation awaitReady(String name, String reason) {
    return await(name, "Ready=True/" + reason, tr -> tr.getStatus() != null
        && Conditions.find(tr.getStatus().getConditions(), Conditions.READY)
            .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason())).orElse(false));
  }

  public TokenRotation awaitStalled(String name, String reason) {
    return await(name, "Stalled=True/" + reason, tr -> tr.getStatus() != null
        && Conditions.find(tr.getStatus().getConditions(), Conditions.STALLED)
            .map(c -> "True".equals(c.getStatus()) && reason.equals(c.getReason())).orElse(false));
  }

  public List<Event> events(String name) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName())).toList();
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
  public java.util.List<String> tokensBefore() {
    return dynatrace.tokens().stream().map(io.tokenrotation.sim.dynatrace.TokenView::id).toList();
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
