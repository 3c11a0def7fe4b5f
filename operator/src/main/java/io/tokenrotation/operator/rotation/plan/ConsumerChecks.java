package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.SecretTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the schema cannot say about {@code secretTargets} and {@code rolloutRestartTargets}: keys
 * that would collide, placeholders that do not exist, restarts with nothing to restart for.
 */
final class ConsumerChecks {
  private static final Pattern KEY = Pattern.compile(ApiPatterns.SECRET_KEY);
  private static final Pattern NAME = Pattern.compile(ApiPatterns.DNS_SUBDOMAIN);

  private ConsumerChecks() {}

  static List<String> problems(List<SecretTarget> secrets, List<RolloutRestartTarget> restarts) {
    List<String> problems = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < secrets.size(); i++) {
      SecretTarget t = secrets.get(i);
      String where = "spec.secretTargets[" + i + "]";
      if (t == null || t.getName() == null || !NAME.matcher(t.getName()).matches()) {
        problems.add(where + ".name: a Secret name is required (lowercase, digits, - and .)");
        continue;
      }
      if (t.getKey() == null || !KEY.matcher(t.getKey()).matches()) {
        problems.add(where + ".key: a Secret key is required (letters, digits, -, _ and .)");
        continue;
      }
      if (!keys.add(t.getName() + "/" + t.getKey())) {
        problems.add(where + ": Secret " + t.getName() + " key " + t.getKey() + " is listed twice");
      }
      Map<String, String> template = t.getTemplate() == null ? Map.of() : t.getTemplate();
      for (Map.Entry<String, String> e : template.entrySet()) {
        if (!KEY.matcher(e.getKey()).matches()) {
          problems.add(where + ".template: \"" + e.getKey() + "\" is not a Secret key");
        } else if (e.getKey().equals(t.getKey())) {
          problems.add(where + ".template." + e.getKey() + ": is the key that holds the token");
        } else if (!keys.add(t.getName() + "/" + e.getKey())) {
          problems.add(where + ".template." + e.getKey() + ": written twice to " + t.getName());
        }
        SecretTemplates.problem(e.getValue())
            .ifPresent(p -> problems.add(where + ".template." + e.getKey() + ": " + p));
      }
    }
    Set<String> workloads = new HashSet<>();
    for (int i = 0; i < restarts.size(); i++) {
      RolloutRestartTarget t = restarts.get(i);
      String where = "spec.rolloutRestartTargets[" + i + "]";
      if (t == null || t.getKind() == null) {
        problems.add(where + ".kind: Deployment, StatefulSet or DaemonSet is required");
      } else if (t.getName() == null || !NAME.matcher(t.getName()).matches()) {
        problems.add(where + ".name: a workload name is required");
      } else if (!workloads.add(t.getKind() + "/" + t.getName())) {
        problems.add(where + ": " + t.getKind() + " " + t.getName() + " is listed twice");
      }
    }
    if (!restarts.isEmpty() && secrets.isEmpty()) {
      problems.add(
          "spec.rolloutRestartTargets: needs spec.secretTargets (restarts follow a Secret's change)");
    }
    return problems;
  }
}
