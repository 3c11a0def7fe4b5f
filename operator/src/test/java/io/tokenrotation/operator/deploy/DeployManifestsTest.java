package io.tokenrotation.operator.deploy;

import static io.tokenrotation.operator.deploy.DeployManifests.BASE;
import static io.tokenrotation.operator.deploy.DeployManifests.DEPLOY;
import static io.tokenrotation.operator.deploy.DeployManifests.MONITORING;
import static io.tokenrotation.operator.deploy.DeployManifests.NAMESPACED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.tokenrotation.operator.app.OperatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/ holds what the operator needs, parses as Kubernetes objects, and its kustomizations list
 * every file.
 */
class DeployManifestsTest {

  @Test
  void everyFileUnderDeployParsesAsTypedKubernetesObjects() {
    List<Path> files = DeployManifests.manifestFiles(DEPLOY);
    assertThat(files).hasSizeGreaterThan(10);
    for (Path file : files) {
      List<HasMetadata> objects = DeployManifests.load(file);
      assertThat(objects).as(file.toString()).isNotEmpty();
      for (HasMetadata o : objects) {
        assertThat(o.getMetadata().getName()).as(file + " metadata.name").isNotBlank();
        if (file.startsWith(MONITORING)) {
          // Prometheus Operator kinds: no typed model in Fabric8's Kubernetes model
          assertThat(o).as(file.toString()).isInstanceOf(GenericKubernetesResource.class);
          assertThat(o.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        } else {
          assertThat(o)
              .as(file + ": " + o.getKind())
              .isNotInstanceOf(GenericKubernetesResource.class);
        }
      }
    }
  }

  @Test
  void kustomizationsListEveryFileAndOnlyExistingOnes() throws IOException {
    Set<Path> referenced = new HashSet<>();
    for (Path kustomization : DeployManifests.kustomizations()) {
      Path dir = kustomization.getParent();
      Map<String, Object> k = DeployManifests.kustomization(kustomization);
      assertThat(k.get("kind")).as(kustomization.toString()).isEqualTo("Kustomization");
      List<String> entries = new ArrayList<>(strings(k.get("resources")));
      if (k.get("patches") instanceof List<?> patches) {
        patches.forEach(p -> entries.add((String) ((Map<?, ?>) p).get("path")));
      }
      for (String file : generatorFiles(k)) {
        Path target = dir.resolve(file).normalize();
        assertThat(target).as(kustomization + " generates from " + file).isRegularFile();
        assertThat(target.startsWith(dir.normalize()))
            .as(kustomization + ": " + file + " is outside its directory (kustomize refuses that)")
            .isTrue();
        assertThat(referenced.add(target.toAbsolutePath().normalize()))
            .as(file + " listed twice")
            .isTrue();
      }
      for (String entry : entries) {
        Path target = dir.resolve(entry).normalize();
        assertThat(target).as(kustomization + " lists " + entry).exists();
        if (Files.isDirectory(target)) {
          assertThat(target.resolve("kustomization.yaml"))
              .as(kustomization + " lists directory " + entry)
              .exists();
        } else {
          assertThat(target.startsWith(dir.normalize()))
              .as(
                  kustomization
                      + ": "
                      + entry
                      + " is outside its directory (kustomize refuses that)")
              .isTrue();
          assertThat(referenced.add(target.toAbsolutePath().normalize()))
              .as(entry + " listed twice")
              .isTrue();
        }
      }
    }
    assertThat(
            strings(
                DeployManifests.kustomization(DEPLOY.resolve("kustomization.yaml"))
                    .get("resources")))
        .containsExactly("base");
    assertThat(
            strings(
                DeployManifests.kustomization(NAMESPACED.resolve("kustomization.yaml"))
                    .get("resources")))
        .contains("../../base");
    for (Path file : DeployManifests.manifestFiles(DEPLOY)) {
      assertThat(referenced)
          .as(file + " is in no kustomization")
          .contains(file.toAbsolutePath().normalize());
    }
    // files that are no manifests (the Grafana dashboard) are generated from
    try (var all = Files.walk(DEPLOY)) {
      for (Path file :
          all.filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
              .toList()) {
        assertThat(referenced)
            .as(file + " is in no kustomization")
            .contains(file.toAbsolutePath().normalize());
      }
    }
  }

  /** The files of a kustomization's configMapGenerator and secretGenerator entries. */
  private static List<String> generatorFiles(Map<String, Object> kustomization) {
    List<String> files = new ArrayList<>();
    for (String generator : List.of("configMapGenerator", "secretGenerator")) {
      if (kustomization.get(generator) instanceof List<?> entries) {
        for (Object entry : entries) {
          for (String file : strings(((Map<?, ?>) entry).get("files"))) {
            // "key=path" names the data key; the file is the part after "="
            files.add(file.contains("=") ? file.substring(file.indexOf('=') + 1) : file);
          }
        }
      }
    }
    return files;
  }

  @Test
  void theGrafanaDashboardIsAConfigMapForTheGrafanaSidecar() throws IOException {
    Map<String, Object> k = DeployManifests.kustomization(MONITORING.resolve("kustomization.yaml"));
    List<?> generators = (List<?>) k.get("configMapGenerator");
    assertThat(generators).hasSize(1);
    Map<?, ?> generator = (Map<?, ?>) generators.get(0);
    assertThat(generator.get("name")).isEqualTo("token-rotation-operator-dashboard");
    assertThat(generator.get("namespace")).isEqualTo(DeployManifests.OPERATOR_NAMESPACE);
    assertThat(strings(generator.get("files"))).containsExactly("grafana-dashboard.json");
    Map<?, ?> options = (Map<?, ?>) k.get("generatorOptions");
    // a stable name (the sidecar and users find it) and the label the sidecar selects on
    assertThat(options.get("disableNameSuffixHash")).isEqualTo(true);
    assertThat(((Map<?, ?>) options.get("labels")).get("grafana_dashboard")).isEqualTo("1");

    Path json = MONITORING.resolve("grafana-dashboard.json");
    JsonNode dashboard = Serialization.jsonMapper().readTree(json.toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("token-rotation-operator");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("schemaVersion").asInt())
        .as("Grafana 10+")
        .isGreaterThanOrEqualTo(38);
    Map<String, JsonNode> variables = new TreeMap<>();
    dashboard
        .path("templating")
        .path("list")
        .forEach(v -> variables.put(v.path("name").asText(), v));
    assertThat(variables).containsOnlyKeys("datasource", "namespace");
    assertThat(variables.get("datasource").path("type").asText()).isEqualTo("datasource");
    assertThat(variables.get("datasource").path("query").asText()).isEqualTo("prometheus");
    assertThat(variables.get("namespace").path("type").asText()).isEqualTo("query");
    assertThat(variables.get("namespace").path("datasource").path("uid").asText())
        .isEqualTo("${datasource}");

    List<JsonNode> panels = new ArrayList<>();
    collectPanels(dashboard.path("panels"), panels);
    Set<Integer> ids = new HashSet<>();
    List<String> titles = new ArrayList<>();
    for (JsonNode panel : panels) {
      String title = panel.path("title").asText();
      titles.add(title);
      assertThat(ids.add(panel.path("id").asInt())).as("panel id of " + title).isTrue();
      assertThat(panel.path("gridPos").path("w").asInt()).as(title).isBetween(1, 24);
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      // every query goes to the data source the user picks
      assertThat(panel.path("datasource").path("uid").asText())
          .as(title)
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText())
            .as(title)
            .isEqualTo("${datasource}");
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
      }
    }
    assertThat(titles)
        .contains(
            "Leader",
            "Overdue",
            "Stalled",
            "Not Ready",
            "Disabled tokens still in use",
            "Rotations per hour",
            "Failures and stalls by reason (per hour)",
            "Overdue resources",
            "Next token expirations",
            "Next rotations",
            "Upstream requests by service and status",
            "Dynatrace 429s (rate limited)");

    // what kustomize makes of it, when kubectl is installed: the file's bytes under a stable name
    Optional<Path> kubectl =
        Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    if (kubectl.isPresent()) {
      Process process =
          new ProcessBuilder(kubectl.get().toString(), "kustomize", MONITORING.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      try {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      assertThat(process.exitValue()).as(out).isZero();
      ConfigMap configMap =
          ((List<?>)
                  Serialization.unmarshal(
                      new ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8))))
              .stream()
                  .filter(ConfigMap.class::isInstance)
                  .map(ConfigMap.class::cast)
                  .findFirst()
                  .orElseThrow(
                      () -> new AssertionError("no ConfigMap in kubectl kustomize:\n" + out));
      assertThat(configMap.getMetadata().getName()).isEqualTo("token-rotation-operator-dashboard");
      assertThat(configMap.getMetadata().getNamespace())
          .isEqualTo(DeployManifests.OPERATOR_NAMESPACE);
      assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
      assertThat(configMap.getData())
          .containsOnlyKeys("grafana-dashboard.json")
          .containsEntry("grafana-dashboard.json", Files.readString(json));
    }
  }

  private static void collectPanels(JsonNode panels, List<JsonNode> out) {
    for (JsonNode panel : panels) {
      out.add(panel);
      collectPanels(panel.path("panels"), out);
    }
  }

  @Test
  void theCrdsInDeployAreTheCommittedCrds() throws IOException {
    List<Path> committed;
    try (var files = Files.list(Path.of("..", "crds"))) {
      committed = files.sorted().toList();
    }
    assertThat(committed)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "tokencleanuppolicies.tokenrotation.io-v1.yml",
            "tokenrotations.tokenrotation.io-v1.yml");
    for (Path crd : committed) {
      Path copy = BASE.resolve("crds").resolve(crd.getFileName());
      assertThat(copy).exists();
      assertThat(Files.readString(copy))
          .as("deploy/base/crds/ drifted from crds/: cp crds/*.yml deploy/base/crds/")
          .isEqualTo(Files.readString(crd));
    }
    assertThat(
            DeployManifests.ofType(DeployManifests.loadAll(BASE), CustomResourceDefinition.class))
        .hasSameSizeAs(committed);
  }

  @Test
  void rbacHasNoWildcardsAndTheNamespacedRolesMirrorTheClusterRole() {
    List<HasMetadata> base = DeployManifests.loadAll(BASE);
    List<HasMetadata> namespaced = DeployManifests.loadAll(NAMESPACED);
    List<PolicyRule> all = new ArrayList<>();
    DeployManifests.ofType(base, ClusterRole.class).forEach(r -> all.addAll(r.getRules()));
    DeployManifests.ofType(base, Role.class).forEach(r -> all.addAll(r.getRules()));
    DeployManifests.ofType(namespaced, Role.class).forEach(r -> all.addAll(r.getRules()));
    for (PolicyRule rule : all) {
      assertThat(rule.getVerbs()).doesNotContain("*").isNotEmpty();
      assertThat(rule.getResources()).doesNotContain("*").isNotEmpty();
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    }
    ClusterRole cluster = DeployManifests.ofType(base, ClusterRole.class).get(0);
    List<Role> tenantRoles = DeployManifests.ofType(namespaced, Role.class);
    assertThat(tenantRoles).isNotEmpty();
    Set<String> roleNamespaces = new TreeSet<>();
    for (Role role : tenantRoles) {
      assertThat(role.getRules())
          .as(role.getMetadata().getNamespace())
          .isEqualTo(cluster.getRules());
      roleNamespaces.add(role.getMetadata().getNamespace());
    }
    Set<String> bound =
        DeployManifests.ofType(namespaced, RoleBinding.class).stream()
            .map(b -> b.getMetadata().getNamespace())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(bound).isEqualTo(roleNamespaces);
    // WATCH_NAMESPACES in the overlay's patch names exactly those namespaces
    Deployment patch = DeployManifests.ofType(namespaced, Deployment.class).get(0);
    String watch =
        env(patch.getSpec().getTemplate().getSpec().getContainers().get(0), "WATCH_NAMESPACES");
    assertThat(new TreeSet<>(Arrays.asList(watch.split(",")))).isEqualTo(roleNamespaces);
    // grants resolved through the bindings: cluster-wide in the base, only the tenant namespaces in
    // the overlay
    assertThat(DeployManifests.operatorGrants(base)).anyMatch(g -> g.namespace().isEmpty());
  }

  @Test
  void deploymentRunsTwoHardenedReplicasWithLeaderElectionProbesAndLimits() throws IOException {
    List<HasMetadata> base = DeployManifests.loadAll(BASE);
    Deployment deployment = DeployManifests.ofType(base, Deployment.class).get(0);
    assertThat(deployment.getMetadata().getNamespace())
        .isEqualTo(DeployManifests.OPERATOR_NAMESPACE);
    assertThat(DeployManifests.ofType(base, Namespace.class))
        .extracting(n -> n.getMetadata().getName())
        .containsExactly(DeployManifests.OPERATOR_NAMESPACE);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(DeployManifests.SERVICE_ACCOUNT);
    assertThat(DeployManifests.ofType(base, ServiceAccount.class))
        .extracting(s -> s.getMetadata().getName())
        .containsExactly(DeployManifests.SERVICE_ACCOUNT);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKeys("memory");

    assertThat(env(c, "LEADER_ELECTION")).isEqualTo("true");
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("POD_NAMESPACE")
                    && e.getValueFrom() != null
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.namespace"));
    assertThat(c.getEnv())
        .anyMatch(
            e ->
                e.getName().equals("POD_NAME")
                    && e.getValueFrom() != null
                    && e.getValueFrom().getFieldRef().getFieldPath().equals("metadata.name"));
    int metricsPort = Integer.parseInt(env(c, "METRICS_PORT"));
    assertThat(c.getPorts())
        .anyMatch(p -> "metrics".equals(p.getName()) && p.getContainerPort() == metricsPort);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    // every variable the Deployment sets is one the operator (or the JVM) reads
    Set<String> known = new HashSet<>(operatorEnvironmentVariables());
    known.add("JAVA_TOOL_OPTIONS");
    assertThat(c.getEnv()).extracting(EnvVar::getName).allMatch(known::contains);
    // read-only root: the JVM's temp dir is an emptyDir; the API token is a projected volume at the
    // usual path
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
    assertThat(c.getVolumeMounts())
        .anyMatch(m -> m.getMountPath().equals("/var/run/secrets/kubernetes.io/serviceaccount"));
    assertThat(pod.getVolumes())
        .anyMatch(
            v ->
                v.getProjected() != null
                    && v.getProjected().getSources().stream()
                        .anyMatch(s -> s.getServiceAccountToken() != null));
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();

    Service service = DeployManifests.ofType(base, Service.class).get(0);
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .anyMatch(
            p -> "metrics".equals(p.getName()) && "metrics".equals(p.getTargetPort().getStrVal()));
  }

  @Test
  void serviceMonitorScrapesTheMetricsServicePort() {
    GenericKubernetesResource monitor =
        (GenericKubernetesResource)
            DeployManifests.load(MONITORING.resolve("servicemonitor.yaml")).get(0);
    Service service = DeployManifests.ofType(DeployManifests.loadAll(BASE), Service.class).get(0);
    Map<String, Object> spec = monitor.get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(service.getMetadata().getLabels()).containsAllEntriesOf(selector);
    List<?> endpoints = (List<?>) spec.get("endpoints");
    assertThat(endpoints)
        .allMatch(
            e ->
                "metrics".equals(((Map<?, ?>) e).get("port"))
                    && Boolean.TRUE.equals(((Map<?, ?>) e).get("honorLabels")));
  }

  @Test
  void readmeConfigurationTableListsEveryEnvironmentVariable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String name : operatorEnvironmentVariables()) {
      assertThat(readme).as("README table row for " + name).contains("| `" + name + "` |");
    }
    // and the configuration still parses with every documented default
    assertThat(OperatorConfig.defaults().metricsPort()).isEqualTo(8080);
    assertThat(OperatorConfig.defaults().leaderElection().enabled()).isFalse();
  }

  /**
   * The names OperatorConfig reads (string literals in its source) plus those the logback
   * configuration reads.
   */
  static Set<String> operatorEnvironmentVariables() throws IOException {
    Set<String> names = new TreeSet<>();
    String config =
        Files.readString(
            Path.of("src/main/java/io/tokenrotation/operator/app/OperatorConfig.java"));
    Matcher m = Pattern.compile("\"([A-Z][A-Z0-9_]{2,})\"").matcher(config);
    while (m.find()) {
      names.add(m.group(1));
    }
    String logback = Files.readString(Path.of("src/main/resources/tokenrotation-logback.xml"));
    Matcher l = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]+):-").matcher(logback);
    while (l.find()) {
      names.add(l.group(1));
    }
    assertThat(names)
        .contains("WATCH_NAMESPACES", "LOG_LEVEL", "LOG_FORMAT", "METRICS_PORT", "LEADER_ELECTION");
    return names;
  }

  private static List<String> strings(Object list) {
    List<String> out = new ArrayList<>();
    if (list instanceof List<?> l) {
      l.forEach(o -> out.add((String) o));
    }
    return out;
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }
}
