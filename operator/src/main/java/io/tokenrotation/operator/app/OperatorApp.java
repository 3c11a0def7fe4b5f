package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.okhttp.OkHttpClientFactory;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.connect.KubernetesConnectionResolver;
import io.tokenrotation.operator.consumers.KubernetesConsumerTargets;
import io.tokenrotation.operator.dynatrace.DynatraceClients;
import io.tokenrotation.operator.http.HttpClients;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.metrics.MetricsServer;
import io.tokenrotation.operator.metrics.OperatorMetrics;
import io.tokenrotation.operator.rotation.TokenRotationReconciler;
import io.tokenrotation.operator.status.JosdkStatusStore;
import io.tokenrotation.operator.status.KubernetesEventPublisher;
import io.tokenrotation.operator.status.RecentStatusWrites;
import io.tokenrotation.operator.status.StatusStore;
import io.tokenrotation.operator.vault.VaultClients;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the operator: Kubernetes client (OkHttp), upstream clients, reconciler, JOSDK, leader
 * election, metrics and health endpoints. The same path runs in a cluster ({@link Main}), in the
 * sandbox and in the integration tests.
 */
public final class OperatorApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

  private final Operator operator;
  private final OperatorMetrics metrics;
  private final MetricsServer server;
  private final AtomicBoolean closing;
  private final UnreadableResources unreadable;

  private OperatorApp(
      Operator operator,
      OperatorMetrics metrics,
      MetricsServer server,
      AtomicBoolean closing,
      UnreadableResources unreadable) {
    this.operator = operator;
    this.metrics = metrics;
    this.server = server;
    this.closing = closing;
    this.unreadable = unreadable;
  }

  /**
   * The Kubernetes client of the operator: Fabric8 auto-configuration (kubeconfig, or in-cluster
   * service account) over OkHttp, chosen explicitly because Fabric8 would otherwise silently pick
   * another transport.
   *
   * <p>The operator's API client over OkHttp. Fabric8 lets only 5 requests per host be in flight by
   * default: every reconcile thread writes status to the one API server, so with that default the
   * client, not the API server or the upstreams, limited throughput (the benchmark's 1000 rotations
   * queued behind 5 connections). Room for every reconcile thread plus the informers' lists and
   * leader election.
   */
  public static KubernetesClient kubernetesClient(Config config, OperatorConfig operatorConfig) {
    int inFlight = operatorConfig.reconcileThreads() + API_REQUESTS_BESIDES_RECONCILES;
    config.setMaxConcurrentRequestsPerHost(
        Math.max(config.getMaxConcurrentRequestsPerHost(), inFlight));
    config.setMaxConcurrentRequests(Math.max(config.getMaxConcurrentRequests(), inFlight));
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new OkHttpClientFactory())
        .build();
  }

  /**
   * The allow-lists are the one thing standing between a resource author and the operator's
   * credentials (docs/security.md): say at start-up what they allow, loudly when that is everything
   * or nothing. An allowed audience that is the URL of the API server the operator talks to (a
   * common service-account issuer) would make the minted tokens valid against the cluster itself:
   * refuse to start.
   */
  static void announceAllowedEndpoints(OperatorConfig config, String apiServerUrl) {
    if (apiServerUrl != null) {
      String server = apiServerUrl.replaceAll("/+$", "");
      config.vaultAudiences().allowed().stream()
          .filter(a -> a.replaceAll("/+$", "").equalsIgnoreCase(server))
          .findAny()
          .ifPresent(
              a -> {
                throw new IllegalArgumentException(
                    "ALLOWED_VAULT_AUDIENCES: \""
                        + a
                        + "\" is the Kubernetes API server's"
                        + " URL; a token for it would be valid against the cluster itself");
              });
    }
    for (var list : List.of(config.vaultAddresses(), config.dynatraceUrls())) {
      if (list.allowsAny()) {
        LOG.warn(
            "{}=*: the operator will carry credentials to ANY endpoint a resource names; anyone who may create"
                + " a TokenRotation can receive them (docs/security.md)",
            list.variable());
      } else if (list.isEmpty()) {
        LOG.warn(
            "{} is empty: every resource will stall with EndpointNotAllowed until the cluster admin lists"
                + " the allowed endpoints",
            list.variable());
      } else {
        LOG.info("{}: {}", list.variable(), list.describe());
      }
    }
    LOG.info("ALLOWED_VAULT_AUDIENCES: {}", String.join(", ", config.vaultAudiences().allowed()));
  }

  /**
   * Informer lists, leader-election renewals and event posts that may run beside the reconciles.
   */
  private static final int API_REQUESTS_BESIDES_RECONCILES = 8;

  public static OperatorApp start(
      KubernetesClient client, OperatorConfig config, OperatorOptions options) {
    announceAllowedEndpoints(
        config, client.getMasterUrl() == null ? null : client.getMasterUrl().toString());
    OperatorMetrics metrics = new OperatorMetrics();
    UpstreamCallListener listener = metrics.upstreamListener(options.listener());
    HttpClients http = new HttpClients(config.httpConnectTimeout(), config.httpReadTimeout());
    VaultClients vaultClients = new VaultClients(http, listener);
    DynatraceClients dynatraceClients =
        new DynatraceClients(http, config.dynatraceLimits(), options.clock(), listener);
    KubernetesConnectionResolver upstreams =
        new KubernetesConnectionResolver(
            client, config.connectionPolicy(), vaultClients, dynatraceClients, options.clock());
    // Every status write also feeds tokenrotation_rotations_total (compared with what the cache
    // held before).
    RecentStatusWrites recentWrites = new RecentStatusWrites();
    TokenRotationReconciler.StatusStoreFactory statusStores =
        context -> {
          StatusStore store = new JosdkStatusStore(context, recentWrites);
          return resource -> {
            if (resource.statusUnreadable()) {
              // Never reached while the reconciler skips such resources; if it were, no write (and
              // so no side effect, each of which is preceded by one) happens on a status that could
              // not be read.
              throw new IllegalStateException(
                  "the status of "
                      + resource.getMetadata().getName()
                      + " could not be read: not writing it");
            }
            TokenRotation before =
                context.getPrimaryCache().get(ResourceID.fromResource(resource)).orElse(null);
            TokenRotation stored = store.write(resource);
            metrics.statusWritten(before, stored);
            return stored;
          };
        };
    KubernetesEventPublisher events =
        new KubernetesEventPublisher(client, options.clock(), LeaderElections.instanceName());
    TokenRotationReconciler reconciler =
        new TokenRotationReconciler(
            upstreams,
            statusStores,
            recentWrites,
            events,
            options.clock(),
            options.backoff(),
            options.checkpoints(),
            config.vaultCheckInterval(),
            new KubernetesConsumerTargets(client));
    UnreadableResources unreadable = new UnreadableResources(events);

    AtomicBoolean closing = new AtomicBoolean();
    AtomicReference<Operator> started = new AtomicReference<>();
    MetricsServer server =
        options.metricsPort() == null
            ? null
            : MetricsServer.start(
                options.metricsPort(),
                metrics::scrape,
                () -> {
                  Operator op = started.get();
                  return op != null
                      && op.getRuntimeInfo().isStarted()
                      && op.getRuntimeInfo().allEventSourcesAreHealthy();
                });
    OperatorConfig.LeaderElection election = config.leaderElection();
    try {
      // Server-side apply is off on purpose: the finalizer and status go through merge patch /
      // update, which every
      // API server (and the embedded one) accepts; tests exercise the very path users run.
      Operator operator =
          new Operator(
              o -> {
                o.withKubernetesClient(client)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withCloseClientOnStop(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads())
                    .withStopOnInformerErrorDuringStartup(false)
                    .withMetrics(metrics.josdkMetrics());
                if (election.enabled()) {
                  o.withLeaderElectionConfiguration(
                      LeaderElections.configuration(
                          election, metrics, closing, options.lostLeadership()));
                }
              });
      RegisteredController<TokenRotation> registered =
          operator.register(
              reconciler,
              c -> {
                if (!config.watchNamespaces().isEmpty()) {
                  c.settingNamespaces(config.watchNamespaces());
                }
                config.watchLabelSelector().ifPresent(c::withLabelSelector);
                InformerCaches.<TokenRotation>withoutManagedFields(config.watchNamespaces())
                    .ifPresent(c::withItemStore);
                // the watch events of our own status writes start no reconcile (RecentStatusWrites)
                unreadable.filter(c, recentWrites::isOwnWrite);
              });
      if (registered instanceof Controller<TokenRotation> controller) {
        metrics.resources(
            () -> controller.getEventSourceManager().getControllerEventSource().list());
        metrics.readability(
            "TokenRotation",
            () -> controller.getEventSourceManager().getControllerEventSource().list());
      }
      RegisteredController<TokenCleanupPolicy> policies =
          TokenCleanupController.register(
              operator,
              registered,
              upstreams,
              new KubernetesEventPublisher(client, options.clock(), LeaderElections.instanceName()),
              options.clock(),
              options.backoff(),
              config.watchNamespaces(),
              config.watchLabelSelector(),
              client,
              unreadable);
      if (policies instanceof Controller<TokenCleanupPolicy> controller) {
        metrics.readability(
            "TokenCleanupPolicy",
            () -> controller.getEventSourceManager().getControllerEventSource().list());
      }
      metrics.leader(!election.enabled());
      if (election.enabled()) {
        LOG.info(
            "leader election on: Lease {}/{}, identity {}",
            election.namespace().orElse("(inferred)"),
            election.leaseName(),
            election.identity());
      }
      operator.start();
      started.set(operator);
      return new OperatorApp(operator, metrics, server, closing, unreadable);
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      unreadable.close();
      throw e;
    }
  }

  /** The metrics/health port actually bound, or -1 when the endpoint is off. */
  public int metricsPort() {
    return server == null ? -1 : server.port();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  /** True while this instance reconciles (always, without leader election). */
  public boolean isLeader() {
    return metrics.leader();
  }

  @Override
  public void close() {
    closing.set(true);
    try {
      operator.stop();
    } finally {
      unreadable.close();
      if (server != null) {
        server.close();
      }
    }
  }
}
