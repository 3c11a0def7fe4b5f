package io.tokenrotation.operator.app;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.tokenrotation.operator.metrics.OperatorMetrics;
import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK leader election from the operator's configuration: the Lease, this instance's identity,
 * what losing it does.
 */
final class LeaderElections {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorApp.class);

  private LeaderElections() {}

  /**
   * JOSDK starts the informers on every instance (warm caches) and event processing only on the
   * leader. JOSDK's own exit-on-stop-leading is off: it would also fire during a graceful shutdown
   * (System.exit inside the shutdown hook hangs the JVM); we exit only when leadership is lost
   * while running.
   */
  static LeaderElectionConfiguration configuration(
      OperatorConfig.LeaderElection election,
      OperatorMetrics metrics,
      AtomicBoolean closing,
      Runnable lostLeadership) {
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              metrics.leader(true);
              LOG.info("{} is now the leader: reconciling", election.identity());
            },
            () -> {
              metrics.leader(false);
              if (!closing.get()) {
                LOG.error(
                    "{} lost the leader Lease; stopping so that another instance takes over",
                    election.identity());
                lostLeadership.run();
              }
            },
            leader -> LOG.info("leader is {}", leader));
    return new LeaderElectionConfiguration(
        election.leaseName(),
        election.namespace().orElse(null),
        election.leaseDuration(),
        election.renewDeadline(),
        election.retryPeriod(),
        election.identity(),
        callbacks,
        false);
  }

  static String instanceName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "operator-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
