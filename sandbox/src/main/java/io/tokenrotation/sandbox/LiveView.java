package io.tokenrotation.sandbox;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.Durations;
import io.tokenrotation.operator.api.Timestamps;
import io.tokenrotation.operator.api.TokenCleanupPolicy;
import io.tokenrotation.operator.api.TokenCleanupPolicyStatus;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.status.Conditions;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints TokenRotations like {@code kubectl get tr -w} (a row when it changes) and each rotation as
 * it happens, and each completed run of a TokenCleanupPolicy.
 */
final class LiveView {
  private static final String FORMAT = "%-20s %-6s %-32s %-14s %-14s %s%n";

  private final KubernetesClient client;
  private final String namespace;
  private final PrintStream out;
  private final Clock clock;
  private final Map<String, Tracked> tracked = new LinkedHashMap<>();
  private final Map<String, PolicySeen> policies = new LinkedHashMap<>();
  private boolean headerPrinted;

  /** What we saw of one resource over the run. */
  static final class Tracked {
    String lastRow;
    String tokenId;
    Instant firstNextRotation;
    final Set<String> rotations = new LinkedHashSet<>();
    final Set<String> tokenIds = new LinkedHashSet<>();
    boolean ready;
    String reason;
  }

  /** What we saw of one cleanup policy. */
  static final class PolicySeen {
    String lastRun;
    int runs;
    boolean ready;
    String reason = "";
    String action;
    int matched;
    int acted;
  }

  /** The verdict at the end of a run. */
  record Summary(List<String> lines, boolean success) {}

  LiveView(KubernetesClient client, String namespace, PrintStream out, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.out = out;
    this.clock = clock;
  }

  synchronized void poll() {
    List<TokenRotation> items =
        client.resources(TokenRotation.class).inNamespace(namespace).list().getItems();
    for (TokenRotation tr : items) {
      String name = tr.getMetadata().getName();
      Tracked t = tracked.computeIfAbsent(name, n -> new Tracked());
      TokenRotationStatus st = tr.getStatus() == null ? new TokenRotationStatus() : tr.getStatus();
      Condition ready = Conditions.find(st.getConditions(), Conditions.READY).orElse(null);
      t.ready = ready != null && Conditions.TRUE.equals(ready.getStatus());
      t.reason = ready == null ? "" : ready.getReason();
      if (t.firstNextRotation == null && st.getNextRotationTime() != null) {
        t.firstNextRotation = st.nextRotationAt();
      }
      if (st.getTokenId() != null) {
        t.tokenIds.add(st.getTokenId());
      }
      if (st.getLastRotationTime() != null && t.rotations.add(st.getLastRotationTime())) {
        String old =
            st.getRetiredTokens() == null || st.getRetiredTokens().isEmpty()
                ? t.tokenId
                : st.getRetiredTokens().get(st.getRetiredTokens().size() - 1).getId();
        out.printf(
            "  ROTATED  %s: %s -> %s%n", name, old == null ? "(new secret)" : old, st.getTokenId());
      }
      t.tokenId = st.getTokenId();
      String row =
          String.format(
              FORMAT,
              name,
              ready == null ? "" : ready.getStatus(),
              Objects.toString(st.getTokenId(), "<none>"),
              ago(st.getLastRotationTime()),
              in(st.getNextRotationTime()),
              t.reason);
      // print a row when the resource changes, not when only the relative times move on
      String key =
          String.join(
              "|",
              String.valueOf(t.ready),
              t.reason,
              Objects.toString(st.getTokenId()),
              Objects.toString(st.getLastRotationTime()),
              Objects.toString(st.getNextRotationTime()));
      if (!key.equals(t.lastRow)) {
        if (!headerPrinted) {
          out.printf(FORMAT, "NAME", "READY", "TOKEN", "LAST ROTATION", "NEXT ROTATION", "REASON");
          headerPrinted = true;
        }
        out.print(row);
        t.lastRow = key;
      }
    }
    pollPolicies();
  }

  /** Cleanup policies: a line per completed run (what matched, what was done). */
  private void pollPolicies() {
    for (TokenCleanupPolicy p :
        client.resources(TokenCleanupPolicy.class).inNamespace(namespace).list().getItems()) {
      String name = p.getMetadata().getName();
      TokenCleanupPolicyStatus st =
          p.getStatus() == null ? new TokenCleanupPolicyStatus() : p.getStatus();
      Condition ready = Conditions.find(st.getConditions(), Conditions.READY).orElse(null);
      PolicySeen seen = policies.computeIfAbsent(name, n -> new PolicySeen());
      seen.ready = ready != null && Conditions.TRUE.equals(ready.getStatus());
      seen.reason = ready == null ? "" : ready.getReason();
      seen.action =
          p.getSpec() == null || p.getSpec().getAction() == null
              ? "Report"
              : p.getSpec().getAction().name();
      seen.matched = st.getMatched() == null ? 0 : st.getMatched();
      seen.acted = st.getActed() == null ? 0 : st.getActed();
      if (st.getLastRunTime() != null && !st.getLastRunTime().equals(seen.lastRun)) {
        seen.lastRun = st.getLastRunTime();
        seen.runs++;
        String candidates =
            st.getCandidates() == null
                ? ""
                : ": "
                    + st.getCandidates().stream()
                        .map(c -> c.getId() + " " + c.getName() + " (" + c.getReason() + ")")
                        .collect(Collectors.joining(", "));
        out.printf(
            "  CLEANUP  %s (%s): %d matched, %d acted%s%n",
            name, seen.action, seen.matched, seen.acted, candidates);
      }
    }
  }

  synchronized Summary summary() {
    Instant end = clock.instant();
    List<String> lines = new ArrayList<>();
    boolean success = !tracked.isEmpty();
    lines.add(String.format("%-20s %-6s %-10s %s", "NAME", "READY", "ROTATIONS", "TOKENS SEEN"));
    for (Map.Entry<String, Tracked> e : tracked.entrySet()) {
      Tracked t = e.getValue();
      boolean due = t.firstNextRotation != null && !t.firstNextRotation.isAfter(end);
      boolean ok = t.ready && (!due || !t.rotations.isEmpty());
      success &= ok;
      lines.add(
          String.format(
              "%-20s %-6s %-10d %d%s",
              e.getKey(),
              t.ready ? "True" : "False",
              t.rotations.size(),
              t.tokenIds.size(),
              ok
                  ? ""
                  : "   <- "
                      + (t.ready
                          ? "interval elapsed but no rotation"
                          : "not Ready (" + t.reason + ")")));
    }
    if (tracked.isEmpty()) {
      lines.add("(no TokenRotation resources)");
    }
    if (!policies.isEmpty()) {
      lines.add(
          String.format(
              "%-20s %-6s %-10s %-8s %s", "CLEANUP POLICY", "READY", "ACTION", "MATCHED", "ACTED"));
    }
    for (Map.Entry<String, PolicySeen> e : policies.entrySet()) {
      PolicySeen p = e.getValue();
      boolean ok = p.ready && p.runs > 0;
      success &= ok;
      lines.add(
          String.format(
              "%-20s %-6s %-10s %-8d %d%s",
              e.getKey(),
              p.ready ? "True" : "False",
              p.action,
              p.matched,
              p.acted,
              ok ? "" : "   <- " + (p.ready ? "no run" : "not Ready (" + p.reason + ")")));
    }
    return new Summary(lines, success);
  }

  private String ago(String timestamp) {
    Instant t = Timestamps.parse(timestamp);
    return t == null ? "<never>" : human(Duration.between(t, clock.instant())) + " ago";
  }

  private String in(String timestamp) {
    Instant t = Timestamps.parse(timestamp);
    return t == null ? "<unknown>" : "in " + human(Duration.between(clock.instant(), t));
  }

  private static String human(Duration d) {
    return d.getSeconds() <= 0 ? "0s" : Durations.format(d.withNanos(0));
  }
}
