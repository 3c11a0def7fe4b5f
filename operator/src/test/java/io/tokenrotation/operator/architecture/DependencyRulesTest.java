package io.tokenrotation.operator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layering docs/architecture.md describes, enforced on the imports of the operator's main
 * sources: wiring only in {@code app}, pure decisions free of Kubernetes, JOSDK and HTTP, clients
 * free of the reconcilers.
 */
class DependencyRulesTest {
  private static final Path SOURCES =
      Path.of("src", "main", "java", "io", "tokenrotation", "operator");
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
  private static final String OURS = "io.tokenrotation.operator.";
  private static final String JOSDK = "io.javaoperatorsdk.";
  private static final String KUBERNETES_CLIENT = "io.fabric8.kubernetes.client.";
  private static final String OKHTTP = "okhttp3.";

  static Stream<Arguments> rules() {
    String[] features = {OURS + "rotation.", OURS + "cleanup."};
    return Stream.of(
        rule("nothing but app itself depends on the wiring", "*", OURS + "app."),
        rule("the API types depend on no other package of ours", "api", OURS),
        rule("cleanup never depends on rotation", "cleanup", OURS + "rotation."),
        rule("cleanup's decisions never depend on rotation", "cleanup.plan", OURS + "rotation."),
        rule("rotation never depends on cleanup", "rotation", OURS + "cleanup."),
        rule("rotation's decisions never depend on cleanup", "rotation.plan", OURS + "cleanup."),
        rule(
            "rotation's decisions know nothing of reconcilers, clients or the wiring",
            "rotation.plan",
            OURS + "rotation.",
            OURS + "app.",
            OURS + "vault.",
            OURS + "http."),
        rule(
            "rotation's decisions use no framework or network client",
            "rotation.plan",
            JOSDK,
            KUBERNETES_CLIENT,
            OKHTTP),
        rule(
            "the schedule arithmetic uses the JDK and the API's duration format only",
            "rotation.plan.schedule",
            OURS + "rotation.",
            OURS + "cleanup.",
            OURS + "app.",
            OURS + "spec.",
            OURS + "connect.",
            OURS + "status.",
            OURS + "failure.",
            OURS + "vault.",
            OURS + "dynatrace.",
            OURS + "http.",
            OURS + "logging.",
            OURS + "metrics.",
            OURS + "secret.",
            OURS + "tokens.",
            JOSDK,
            "io.fabric8.",
            OKHTTP),
        rule(
            "cleanup's decisions know nothing of reconcilers, clients or the wiring",
            "cleanup.plan",
            OURS + "cleanup.",
            OURS + "app.",
            OURS + "vault.",
            OURS + "http."),
        rule(
            "cleanup's decisions use no framework or network client",
            "cleanup.plan",
            JOSDK,
            KUBERNETES_CLIENT,
            OKHTTP),
        rule(
            "the shared spec checks are pure",
            "spec",
            JOSDK,
            KUBERNETES_CLIENT,
            OKHTTP,
            features[0],
            features[1],
            OURS + "vault.",
            OURS + "dynatrace.",
            OURS + "http."),
        rule(
            "the allow-lists are pure: no other package of ours, no Kubernetes",
            "connect.allow",
            OURS,
            JOSDK,
            KUBERNETES_CLIENT),
        rule("connections serve both features and depend on neither", "connect", features),
        rule(
            "the consumers in the cluster depend on no feature and no upstream client",
            "consumers",
            features[0],
            features[1],
            OURS + "vault.",
            OURS + "dynatrace.",
            OURS + "connect."),
        rule("the shared status machinery depends on no feature", "status", features),
        rule("failure handling depends on no feature", "failure", features),
        rule("the token registry depends on no feature", "tokens", features),
        rule(
            "the Dynatrace client knows nothing of Kubernetes or the reconcilers",
            "dynatrace",
            JOSDK,
            KUBERNETES_CLIENT,
            features[0],
            features[1],
            OURS + "connect.",
            OURS + "status."),
        rule(
            "the Vault client knows nothing of Kubernetes or the reconcilers",
            "vault",
            JOSDK,
            KUBERNETES_CLIENT,
            features[0],
            features[1],
            OURS + "connect.",
            OURS + "status."),
        rule(
            "the HTTP stack and secrets are leaves",
            "http",
            features[0],
            features[1],
            OURS + "vault.",
            OURS + "dynatrace."),
        rule("secret values depend on nothing", "secret", OURS, OKHTTP, JOSDK, KUBERNETES_CLIENT));
  }

  private static Arguments rule(String sentence, String pkg, String... forbidden) {
    return Arguments.of(sentence, pkg, List.of(forbidden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void importsFollowTheLayers(String sentence, String pkg, List<String> forbidden)
      throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files =
          walk.filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p ->
                      pkg.equals("*")
                          ? !p.startsWith(SOURCES.resolve("app"))
                          : p.getParent().equals(SOURCES.resolve(pkg.replace('.', '/'))))
              .toList();
    }
    assertThat(files).as(sentence + ": sources found").isNotEmpty();
    List<String> violations =
        files.stream()
            .flatMap(
                file ->
                    imports(file)
                        .filter(imported -> forbidden.stream().anyMatch(imported::startsWith))
                        .filter(imported -> !imported.startsWith(OURS + pkg + "."))
                        .map(imported -> SOURCES.relativize(file) + " imports " + imported))
            .toList();
    assertThat(violations).as(sentence).isEmpty();
  }

  private static Stream<String> imports(Path file) {
    try {
      Matcher m = IMPORT.matcher(Files.readString(file));
      Stream.Builder<String> found = Stream.builder();
      while (m.find()) {
        found.add(m.group(1));
      }
      return found.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
