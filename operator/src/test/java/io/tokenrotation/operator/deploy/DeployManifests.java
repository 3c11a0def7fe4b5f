package io.tokenrotation.operator.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads deploy/ as typed Fabric8 objects, and the RBAC the operator's service account gets from it.
 */
public final class DeployManifests {
  public static final Path DEPLOY = Path.of("..", "deploy");
  public static final Path BASE = DEPLOY.resolve("base");
  public static final Path NAMESPACED = DEPLOY.resolve("overlays").resolve("namespaced");
  public static final Path MONITORING = DEPLOY.resolve("monitoring");
  public static final String OPERATOR_NAMESPACE = "token-rotation-system";
  public static final String SERVICE_ACCOUNT = "token-rotation-operator";

  private DeployManifests() {}

  /** Every YAML file under {@code dir} (recursively), kustomization.yaml files excluded. */
  public static List<Path> manifestFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Path> kustomizations() {
    try (Stream<Path> files = Files.walk(DEPLOY)) {
      return files
          .filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The objects of one file (multi-document YAML allowed), typed where Fabric8 knows the kind. */
  public static List<HasMetadata> load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      Object parsed = Serialization.unmarshal(in);
      List<HasMetadata> out = new ArrayList<>();
      if (parsed instanceof List<?> list) {
        list.stream().filter(Objects::nonNull).forEach(o -> out.add((HasMetadata) o));
      } else if (parsed != null) {
        out.add((HasMetadata) parsed);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> kustomization(Path file) {
    try {
      return Serialization.yamlMapper().readValue(file.toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<HasMetadata> loadAll(Path dir) {
    return manifestFiles(dir).stream().flatMap(f -> load(f).stream()).toList();
  }

  public static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** A rule granted to the operator: everywhere ({@code namespace} empty) or in one namespace. */
  public record Grant(Optional<String> namespace, PolicyRule rule, String source) {}

  /**
   * What the operator's service account may do according to the base install (bindings resolved).
   */
  public static List<Grant> operatorGrants(List<HasMetadata> objects) {
    List<Grant> grants = new ArrayList<>();
    for (ClusterRoleBinding binding : ofType(objects, ClusterRoleBinding.class)) {
      if (bindsOperator(binding.getSubjects())) {
        ClusterRole role =
            ofType(objects, ClusterRole.class).stream()
                .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new AssertionError(
                            "ClusterRoleBinding " + binding.getMetadata().getName() + ": no role"));
        role.getRules()
            .forEach(
                r ->
                    grants.add(
                        new Grant(
                            Optional.empty(), r, "ClusterRole/" + role.getMetadata().getName())));
      }
    }
    for (RoleBinding binding : ofType(objects, RoleBinding.class)) {
      if (bindsOperator(binding.getSubjects())) {
        String ns = binding.getMetadata().getNamespace();
        List<PolicyRule> rules =
            binding.getRoleRef().getKind().equals("ClusterRole")
                ? ofType(objects, ClusterRole.class).stream()
                    .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName()))
                    .findFirst()
                    .orElseThrow()
                    .getRules()
                : ofType(objects, Role.class).stream()
                    .filter(
                        r ->
                            r.getMetadata().getName().equals(binding.getRoleRef().getName())
                                && ns.equals(r.getMetadata().getNamespace()))
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new AssertionError(
                                "RoleBinding "
                                    + ns
                                    + "/"
                                    + binding.getMetadata().getName()
                                    + ": no Role "
                                    + binding.getRoleRef().getName()
                                    + " in "
                                    + ns))
                    .getRules();
        rules.forEach(
            r ->
                grants.add(
                    new Grant(
                        Optional.of(ns), r, "Role/" + ns + "/" + binding.getRoleRef().getName())));
      }
    }
    return grants;
  }

  private static boolean bindsOperator(List<Subject> subjects) {
    return subjects != null
        && subjects.stream()
            .anyMatch(
                s ->
                    "ServiceAccount".equals(s.getKind())
                        && SERVICE_ACCOUNT.equals(s.getName())
                        && OPERATOR_NAMESPACE.equals(s.getNamespace()));
  }
}
