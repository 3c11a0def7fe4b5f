package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar operator/target/token-rotation-operator.jar}: reconciles TokenRotations in the
 * cluster of the current kubeconfig (or in-cluster service account); environment variables in
 * README "Configuration".
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws InterruptedException {
    Logging.configure();
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = OperatorApp.kubernetesClient(Config.autoConfigure(null), config);
    Logger log = LoggerFactory.getLogger(Main.class);
    log.info(
        "token-rotation-operator starting against {} (namespaces: {})",
        client.getMasterUrl(),
        config.watchNamespaces().isEmpty() ? "all" : config.watchNamespaces());
    OperatorOptions options =
        OperatorOptions.defaults()
            .withMetricsPort(config.metricsPort() == 0 ? null : config.metricsPort());
    OperatorApp app = OperatorApp.start(client, config, options);
    if (app.metricsPort() > 0) {
      log.info("metrics on :{}/metrics, probes on /healthz and /readyz", app.metricsPort());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }
}
