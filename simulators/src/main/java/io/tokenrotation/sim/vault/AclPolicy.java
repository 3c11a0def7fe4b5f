package io.tokenrotation.sim.vault;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One named Vault policy: path pattern -> capabilities. Patterns are as in HCL policies: an exact
 * path, a trailing {@code *} (prefix glob) or {@code +} standing for exactly one path segment.
 * Immutable.
 */
record AclPolicy(String name, Map<String, Set<String>> rules) {
  static final Set<String> CAPABILITIES =
      Set.of("create", "read", "update", "patch", "delete", "list", "sudo", "deny");

  AclPolicy {
    Map<String, Set<String>> copy = new LinkedHashMap<>();
    rules.forEach(
        (path, caps) -> {
          for (String cap : caps) {
            if (!CAPABILITIES.contains(cap)) {
              throw new IllegalArgumentException(
                  "unknown capability " + cap + " in policy " + name);
            }
          }
          copy.put(stripLeadingSlash(path), Set.copyOf(caps));
        });
    rules = Map.copyOf(copy);
  }

  private static String stripLeadingSlash(String path) {
    return path.startsWith("/") ? path.substring(1) : path;
  }
}
