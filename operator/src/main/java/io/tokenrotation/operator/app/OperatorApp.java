package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.tokenrotation.operator.controller.Checkpoints;
import io.tokenrotation.operator.controller.JosdkStatusStore;
import io.tokenrotation.operator.controller.KubernetesEventPublisher;
import io.tokenrotation.operator.controller.TokenRotationReconciler;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.policy.Backoff;
import io.tokenrotation.operator.vault.VaultClients;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;

/**
 * Wires the operator: Kubernetes client (OkHttp), upstream clients, reconciler, JOSDK. The same path runs in a
 * cluster ({@link Main}), in the sandbox and in the integration tests.
 */
public final class OperatorApp implements AutoCloseable {
  private final Operator operator;

  private OperatorApp(Operator operator) {
    this.operator = operator;
  }

  /** Options beyond the environment: tests inject a clock, crash checkpoints and a call listener. */
  public record Options(Clock clock, Checkpoints checkpoints, UpstreamCallListener listener, Backoff backoff) {
    public static Options defaults() {
      return new Options(Clock.systemUTC(), Checkpoints.NONE, UpstreamCallListener.NONE, Backoff.DEFAULT);
    }

    public Options withCheckpoints(Checkpoints checkpoints) {
      return new Options(clock, checkpoints, listener, backoff);
    }

    public Options withBackoff(Backoff backoff) {
      return new Options(clock, checkpoints, listener, backoff);
    }

    public Options withListener(UpstreamCallListener listener) {
      return new Options(clock, checkpoints, listener, backoff);
    }
  }

  /**
   * The Kubernetes client of the operator: Fabric8 auto-configuration (kubeconfig, or in-cluster service account)
   * over OkHttp, chosen explicitly because Fabric8 would otherwise silently pick another transport.
   */
  public static KubernetesClient kubernetesClient(Config config) {
    return new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new OkHttpClientFactory()).build();
  }

  public static OperatorApp start(KubernetesClient client, OperatorConfig config, Options options) {
    HttpClients http = new HttpClients(config.httpConnectTimeout(), config.httpReadTimeout());
    VaultClients vaultClients = new VaultClients(http, options.listener());
    DynatraceClients dynatraceClients = new DynatraceClients(http, config.dynatraceRequestsPerMinute(),
        options.clock(), options.listener());
    DefaultUpstreamResolver upstreams = new DefaultUpstreamResolver(client, config, vaultClients, dynatraceClients,
        options.clock());
    TokenRotationReconciler reconciler = new TokenRotationReconciler(upstreams, JosdkStatusStore::new,
        new KubernetesEventPublisher(client, options.clock(), instanceName()), options.clock(), options.backoff(),
        options.checkpoints());
    // Server-side apply is off on purpose: the finalizer and status go through merge patch / update, which every
    // API server (and the embedded one) accepts; tests exercise the very path users run.
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withUseSSAToPatchPrimaryResource(false)
        .withCloseClientOnStop(false)
        .withConcurrentReconciliationThreads(config.reconcileThreads())
        .withStopOnInformerErrorDuringStartup(false));
    operator.register(reconciler, c -> {
      if (!config.watchNamespaces().isEmpty()) {
        c.settingNamespaces(config.watchNamespaces());
      }
    });
    operator.start();
    return new OperatorApp(operator);
  }

  private static String instanceName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "operator-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }

  @Override
  public void close() {
    operator.stop();
  }
}
