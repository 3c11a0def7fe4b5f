package io.tokenrotation.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RetiredToken;
import io.tokenrotation.operator.api.TokenRotation;
import io.tokenrotation.operator.api.TokenRotationStatus;
import io.tokenrotation.operator.testing.Fixtures;
import io.tokenrotation.sim.dynatrace.TokenView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * N TokenRotations in one namespace, each on its own Vault path with an extra field that must
 * survive, logging in with Kubernetes auth; and the invariants of docs/rotation.md checked over
 * them.
 */
final class Fleet {
  static final String ROLE = "token-rotator";
  static final String SERVICE_ACCOUNT = "token-rotator";

  final String namespace;
  final List<String> names = new ArrayList<>();
  final Set<String> external = new HashSet<>();
  private final Upstreams upstreams;
  private final KubernetesClient admin;

  Fleet(Cluster cluster, Upstreams upstreams, String namespace, int size, String gracePeriod) {
    this.namespace = namespace;
    this.upstreams = upstreams;
    this.admin = cluster.admin();
    cluster.createNamespace(namespace);
    upstreams.bindServiceAccount(cluster, namespace, SERVICE_ACCOUNT, ROLE);
    external.add(upstreams.master.id());
    for (int i = 0; i < size; i++) {
      String name = String.format("%s-%03d", namespace, i);
      names.add(name);
      upstreams.seedToken(path(name), Map.of("owner", name));
      TokenRotation tr =
          Fixtures.rotation(
              name,
              upstreams.vault.baseUrl(),
              upstreams.dynatrace.baseUrl(),
              Fixtures.path(path(name)),
              Fixtures.interval("24h"),
              Fixtures.kubernetesAuth(ROLE, SERVICE_ACCOUNT),
              Fixtures.retire(RetireAction.Delete, gracePeriod));
      tr.getMetadata().setNamespace(namespace);
      admin.resource(tr).create();
    }
  }

  static String path(String name) {
    return "dynatrace/" + name;
  }

  Rotations rotations() {
    return new Rotations(admin, namespace);
  }

  /**
   * Annotates {@code name} with a new rotate-requested-at value (as a user's kubectl annotate
   * does); returns it.
   */
  String requestRotation(String name, long value) {
    String at = String.valueOf(value);
    admin
        .resources(TokenRotation.class)
        .inNamespace(namespace)
        .withName(name)
        .edit(
            tr -> {
              tr.getMetadata().getAnnotations().put(TokenRotation.ROTATE_REQUESTED_AT, at);
              return tr;
            });
    return at;
  }

  /** Successful Vault writes of the token field per resource (KV v2 data path, 2xx). */
  Map<String, Long> vaultWrites() {
    Map<String, Long> writes = new LinkedHashMap<>();
    for (String name : names) {
      Pattern data = Pattern.compile("/v1/secret/data/" + Pattern.quote(path(name)));
      writes.put(
          name,
          upstreams
              .vault
              .journal()
              .count(
                  e ->
                      !e.method().equals("GET")
                          && e.status() / 100 == 2
                          && data.matcher(e.path()).matches()));
    }
    return writes;
  }

  /** Resources whose Vault secret holds no token that authenticates. */
  List<String> lost() {
    return names.stream()
        .filter(
            n -> {
              String token =
                  upstreams
                      .vault
                      .readKv("", "secret", path(n))
                      .map(m -> m.get("token"))
                      .orElse(null);
              return token == null || !upstreams.dynatrace.authenticates(token);
            })
        .toList();
  }

  /** Resources whose other secret field changed. */
  List<String> otherFieldsChanged() {
    return names.stream()
        .filter(
            n ->
                !n.equals(
                    upstreams
                        .vault
                        .readKv("", "secret", path(n))
                        .map(m -> m.get("owner"))
                        .orElse(null)))
        .toList();
  }

  /**
   * Enabled tokens the test did not create that are neither in Vault, nor any resource's status
   * token, nor scheduled in a resource's retiredTokens (invariant 4).
   */
  List<String> orphans() {
    Set<String> accounted = new HashSet<>(external);
    for (String name : names) {
      upstreams
          .vault
          .readKv("", "secret", path(name))
          .map(m -> m.get("token"))
          .map(Fleet::idOf)
          .ifPresent(accounted::add);
      TokenRotation tr = rotations().get(name);
      TokenRotationStatus status = tr == null ? null : tr.getStatus();
      if (status != null) {
        Optional.ofNullable(status.getTokenId()).ifPresent(accounted::add);
        Optional.ofNullable(status.getRetiredTokens()).orElse(List.of()).stream()
            .map(RetiredToken::getId)
            .forEach(accounted::add);
      }
    }
    List<String> orphans = new ArrayList<>();
    for (TokenView token : upstreams.dynatrace.tokens()) {
      if (token.enabled() && !accounted.contains(token.id())) {
        orphans.add(token.id() + " (" + token.name() + ")");
      }
    }
    return orphans;
  }

  /** Every resource Ready, nothing pending, every request handled, every retirement done. */
  boolean settled(Map<String, String> lastRequest) {
    for (String name : names) {
      TokenRotation tr = rotations().get(name);
      if (!Rotations.ready(tr)
          || tr.getStatus().getPendingRotation() != null
          || (tr.getStatus().getRetiredTokens() != null
              && !tr.getStatus().getRetiredTokens().isEmpty())) {
        return false;
      }
      String wanted = lastRequest.get(name);
      if (wanted != null && !wanted.equals(tr.getStatus().getLastHandledRotateRequest())) {
        return false;
      }
    }
    return true;
  }

  static String idOf(String token) {
    int second = token.indexOf('.', token.indexOf('.') + 1);
    return second < 0 ? token : token.substring(0, second);
  }

  static long now() {
    return Instant.now().toEpochMilli();
  }
}
