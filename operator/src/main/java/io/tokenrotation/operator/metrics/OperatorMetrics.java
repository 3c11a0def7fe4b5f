package io.tokenrotation.operator.metrics;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tokenrotation.operator.api.LenientlyRead;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.http.UpstreamCallListener;
import io.tokenrotation.operator.status.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The operator's Prometheus metrics: JOSDK's reconciliation metrics plus
 *
 * <ul>
 *   <li>{@code tokenrotation_rotations_total{result}}: success (a new token is in Vault), failure
 *       (a reconcile step failed and will be retried), stalled (a resource entered Stalled=True);
 *       counted from the status writes;
 *   <li>{@code tokenrotation_failures_total{result,reason}}: the same failure and stalled counts by
 *       condition reason ({@code status.lastFailure.reason} for a failure, the Stalled condition's
 *       reason for a stall): summed over {@code reason} it equals the rotations counter of that
 *       result; a reason's series appears with its first count;
 *   <li>per resource ({@code namespace}, {@code name}), read from the informer cache at scrape time
 *       so deleted resources disappear: {@code tokenrotation_last_rotation_timestamp_seconds},
 *       {@code tokenrotation_next_rotation_timestamp_seconds}, {@code
 *       tokenrotation_token_expiration_timestamp_seconds} (absent when the token never expires),
 *       {@code tokenrotation_ready}, {@code tokenrotation_stalled}, {@code tokenrotation_suspended}
 *       (1 when {@code spec.suspend} is true: its next rotation time passes without a rotation, on
 *       purpose), {@code tokenrotation_disabled_tokens_in_use} (entries of {@code
 *       status.retiredTokens} with {@code usedAfterDisableAt} set: disabled old tokens a consumer
 *       still presents; 0 when none); only the leader exports them (followers' caches are warm but
 *       they do not act);
 *   <li>{@code tokenrotation_upstream_requests_total{service,operation,status}} from the HTTP
 *       clients;
 *   <li>{@code tokenrotation_unreadable_resources{kind,part}}: resources holding values this
 *       operator cannot read (see LenientReader), from the informer caches at scrape time on the
 *       leader: part {@code spec} (they stall with InvalidSpec) or {@code status} (not acted on at
 *       all); one row per kind and part, 0 when there are none;
 *   <li>{@code tokenrotation_leader} (1 on the instance that reconciles).
 * </ul>
 */
public final class OperatorMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final RotationOutcomes outcomes = new RotationOutcomes(registry);
  private final AtomicBoolean leader = new AtomicBoolean();
  private final MultiGauge lastRotation;
  private final MultiGauge nextRotation;
  private final MultiGauge tokenExpiration;
  private final MultiGauge ready;
  private final MultiGauge stalled;
  private final MultiGauge suspended;
  private final MultiGauge disabledTokensInUse;
  private final MultiGauge unreadable;
  private volatile Supplier<Stream<TokenRotation>> resources = Stream::empty;

  /** kind -> where its resources come from, for tokenrotation_unreadable_resources. */
  private final Map<String, Supplier<Stream<? extends CustomResource<?, ?>>>> kinds =
      new ConcurrentHashMap<>();

  public OperatorMetrics() {
    lastRotation =
        MultiGauge.builder("tokenrotation.last.rotation.timestamp")
            .baseUnit("seconds")
            .description("When the operator last put a new token into Vault (Unix time)")
            .register(registry);
    nextRotation =
        MultiGauge.builder("tokenrotation.next.rotation.timestamp")
            .baseUnit("seconds")
            .description("When the next rotation is due (Unix time)")
            .register(registry);
    tokenExpiration =
        MultiGauge.builder("tokenrotation.token.expiration.timestamp")
            .baseUnit("seconds")
            .description(
                "When the token Vault holds expires in Dynatrace (Unix time); absent = never")
            .register(registry);
    ready =
        MultiGauge.builder("tokenrotation.ready")
            .description("1 when the resource's Ready condition is True")
            .register(registry);
    stalled =
        MultiGauge.builder("tokenrotation.stalled")
            .description("1 when the resource's Stalled condition is True (a human must act)")
            .register(registry);
    suspended =
        MultiGauge.builder("tokenrotation.suspended")
            .description(
                "1 when the resource's spec.suspend is true (it is not rotated while suspended)")
            .register(registry);
    disabledTokensInUse =
        MultiGauge.builder("tokenrotation.disabled.tokens.in.use")
            .description(
                "Disabled old tokens a consumer still presents (status.retiredTokens with"
                    + " usedAfterDisableAt set)")
            .register(registry);
    unreadable =
        MultiGauge.builder("tokenrotation.unreadable.resources")
            .description(
                "Resources holding values this operator cannot read: part spec (stalled InvalidSpec) or status"
                    + " (not acted on at all)")
            .register(registry);
    Gauge.builder("tokenrotation.leader", leader, b -> b.get() ? 1 : 0)
        .description(
            "1 on the operator instance that holds the leader Lease (or runs without leader election)")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** JOSDK's reconciliation metrics (operator_sdk_*), without per-resource series. */
  public Metrics josdkMetrics() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /**
   * Counts every upstream HTTP call: {@code
   * tokenrotation_upstream_requests_total{service,operation,status}}.
   */
  public UpstreamCallListener upstreamListener(UpstreamCallListener next) {
    return (service, operation, outcome) -> {
      Counter.builder("tokenrotation.upstream.requests")
          .description("HTTP requests to Vault and Dynatrace")
          .tags("service", service, "operation", operation, "status", outcome)
          .register(registry)
          .increment();
      next.called(service, operation, outcome);
    };
  }

  /** Where the per-resource gauges come from (the controller's informer cache). */
  public void resources(Supplier<Stream<TokenRotation>> source) {
    this.resources = Objects.requireNonNull(source);
  }

  /**
   * Where the resources of {@code kind} come from (a controller's informer cache), for the
   * unreadable count.
   */
  public void readability(String kind, Supplier<Stream<? extends CustomResource<?, ?>>> source) {
    kinds.put(kind, Objects.requireNonNull(source));
  }

  public void leader(boolean isLeader) {
    leader.set(isLeader);
  }

  public boolean leader() {
    return leader.get();
  }

  /**
   * A status write succeeded: {@code before} is the resource as the cache held it before the write
   * (used only the first time this process sees the resource), {@code stored} what the API server
   * returned.
   */
  public void statusWritten(TokenRotation before, TokenRotation stored) {
    outcomes.statusWritten(before, stored);
  }

  /**
   * The Prometheus text exposition, with the per-resource gauges refreshed from the cache first.
   */
  public String scrape() {
    refreshResourceGauges();
    return registry.scrape();
  }

  void refreshResourceGauges() {
    List<TokenRotation> all = new ArrayList<>();
    boolean listed = false;
    if (leader.get()) {
      try {
        resources.get().forEach(all::add);
        listed = true;
      } catch (RuntimeException e) {
        // cache not started yet: no per-resource series
      }
    }
    lastRotation.register(
        GaugeRows.rows(all, st -> GaugeRows.seconds(st.getLastRotationTime())), true);
    nextRotation.register(
        GaugeRows.rows(all, st -> GaugeRows.seconds(st.getNextRotationTime())), true);
    tokenExpiration.register(
        GaugeRows.rows(all, st -> GaugeRows.seconds(st.getTokenExpirationTime())), true);
    ready.register(GaugeRows.rows(all, st -> GaugeRows.condition(st, Conditions.READY)), true);
    stalled.register(GaugeRows.rows(all, st -> GaugeRows.condition(st, Conditions.STALLED)), true);
    suspended.register(GaugeRows.resourceRows(all, GaugeRows::suspended), true);
    disabledTokensInUse.register(GaugeRows.rows(all, GaugeRows::disabledTokensInUse), true);
    unreadable.register(leader.get() ? unreadableRows() : List.of(), true);
    if (listed) { // forget deleted resources
      outcomes.retainOnly(
          all.stream()
              .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
              .collect(Collectors.toSet()));
    }
  }

  /**
   * Per kind: resources whose status could not be read, and (of the others) those whose spec could
   * not.
   */
  private List<MultiGauge.Row<?>> unreadableRows() {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    kinds.forEach(
        (kind, source) -> {
          long[] counts = new long[2];
          try {
            source
                .get()
                .forEach(
                    r -> {
                      if (r.getStatus() instanceof LenientlyRead status && !status.fullyRead()) {
                        counts[1]++;
                      } else if (r.getSpec() instanceof LenientlyRead spec && !spec.fullyRead()) {
                        counts[0]++;
                      }
                    });
          } catch (RuntimeException e) {
            return; // cache not started yet: no series for this kind
          }
          rows.add(MultiGauge.Row.of(Tags.of("kind", kind, "part", "spec"), counts[0]));
          rows.add(MultiGauge.Row.of(Tags.of("kind", kind, "part", "status"), counts[1]));
        });
    return rows;
  }
}
