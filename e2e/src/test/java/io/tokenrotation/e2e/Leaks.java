package io.tokenrotation.e2e;

import io.tokenrotation.operator.reliability.SecretScanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Secrets where users and operators look: the operator processes' logs, and the namespace's
 * TokenRotations, TokenCleanupPolicies and Events as kubectl shows them. Findings name where (file
 * and line, or the namespace), never the secret.
 */
final class Leaks {
  private static final List<Pattern> SECRETS =
      List.of(SecretScanner.DYNATRACE_SECRET, SecretScanner.VAULT_TOKEN);

  private Leaks() {}

  static List<String> find(Cluster cluster, String namespace, List<Path> logs) throws IOException {
    List<String> found = new ArrayList<>();
    for (Path log : logs) {
      if (!Files.exists(log)) {
        continue;
      }
      List<String> lines = Files.readAllLines(log);
      for (int i = 0; i < lines.size(); i++) {
        if (containsSecret(lines.get(i))) {
          found.add(log.getFileName() + ":" + (i + 1));
        }
      }
    }
    Kubectl.Result objects =
        cluster.kubectl.run(
            "get", "tokenrotations,tokencleanuppolicies,events", "-n", namespace, "-o", "yaml");
    if (containsSecret(objects.output())) {
      found.add("kubectl get tokenrotations,tokencleanuppolicies,events -n " + namespace);
    }
    Summary.add("leakedSecrets", found.size());
    return found;
  }

  private static boolean containsSecret(String text) {
    return SECRETS.stream().anyMatch(p -> p.matcher(text).find());
  }
}
