package io.tokenrotation.sim.vault;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The effective ACL of one token: all its policies merged. As in Vault, capabilities of identical
 * patterns are unioned across policies, then the single highest-priority matching pattern decides
 * (it is NOT a union over all matching patterns), and {@code deny} on that pattern wins over
 * everything.
 */
final class Acl {
  private final boolean root;
  private final Map<String, Set<String>> rules = new HashMap<>();

  Acl(Collection<AclPolicy> policies, boolean root) {
    this.root = root;
    for (AclPolicy policy : policies) {
      policy
          .rules()
          .forEach(
              (pattern, caps) -> rules.computeIfAbsent(pattern, p -> new HashSet<>()).addAll(caps));
    }
  }

  boolean isRoot() {
    return root;
  }

  boolean allows(String path, String capability) {
    if (root) {
      return true;
    }
    Set<String> caps = capabilities(path);
    return !caps.contains("deny") && caps.contains(capability);
  }

  /** The capabilities of the best-matching pattern, empty if none matches. */
  Set<String> capabilities(String path) {
    String best = null;
    for (String pattern : rules.keySet()) {
      if (matches(pattern, path) && (best == null || higherPriority(pattern, best))) {
        best = pattern;
      }
    }
    return best == null ? Set.of() : rules.get(best);
  }

  /**
   * True if any non-deny rule could grant something on a path below {@code mountPath}: what Vault's
   * UI mounts endpoint (the CLI preflight) asks before revealing a mount. Approximated by prefix
   * comparison of the patterns.
   */
  boolean hasAnyAccessUnder(String mountPath) {
    if (root) {
      return true;
    }
    for (Map.Entry<String, Set<String>> rule : rules.entrySet()) {
      if (rule.getValue().contains("deny") || rule.getValue().isEmpty()) {
        continue;
      }
      String pattern = rule.getKey();
      String literal = literalPrefix(pattern);
      if (literal.startsWith(mountPath)
          || (pattern.endsWith("*") || pattern.contains("+")) && mountPath.startsWith(literal)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String pattern, String path) {
    boolean glob = pattern.endsWith("*");
    String body = glob ? pattern.substring(0, pattern.length() - 1) : pattern;
    if (!body.contains("+")) {
      return glob ? path.startsWith(body) : path.equals(body);
    }
    // Segment-wise: '+' matches exactly one segment; with a trailing glob the rest is a prefix
    // match.
    String[] want = body.split("/", -1);
    String[] have = path.split("/", -1);
    if (have.length < want.length || (!glob && have.length != want.length)) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean last = i == want.length - 1;
      if ("+".equals(want[i])) {
        if (have[i].isEmpty() && !(glob && last)) {
          return false;
        }
      } else if (last && glob) {
        if (!have[i].startsWith(want[i])) {
          return false;
        }
      } else if (!want[i].equals(have[i])) {
        return false;
      }
    }
    return true;
  }

  /** Vault's documented priority rules (docs concepts/policies, "Priority matching"). */
  private static boolean higherPriority(String a, String b) {
    int wa = firstWildcard(a);
    int wb = firstWildcard(b);
    if (wa != wb) {
      return wa > wb; // the later the first wildcard, the higher
    }
    boolean ga = a.endsWith("*");
    boolean gb = b.endsWith("*");
    if (ga != gb) {
      return !ga; // a pattern ending in * loses to one that does not
    }
    long pa = a.chars().filter(c -> c == '+').count();
    long pb = b.chars().filter(c -> c == '+').count();
    if (pa != pb) {
      return pa < pb; // more + segments, lower priority
    }
    if (a.length() != b.length()) {
      return a.length() > b.length();
    }
    return a.compareTo(b) > 0;
  }

  private static int firstWildcard(String pattern) {
    int plus = pattern.indexOf('+');
    int star = pattern.endsWith("*") ? pattern.length() - 1 : -1;
    if (plus < 0 && star < 0) {
      return Integer.MAX_VALUE;
    }
    if (plus < 0) {
      return star;
    }
    return star < 0 ? plus : Math.min(plus, star);
  }

  private static String literalPrefix(String pattern) {
    int w = firstWildcard(pattern);
    return w == Integer.MAX_VALUE ? pattern : pattern.substring(0, w);
  }
}
