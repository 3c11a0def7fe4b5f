package io.tokenrotation.sim.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.SimResponse;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** A KV secrets engine behind one mount. Implementations are thread-safe. */
interface KvEngine {
  int version();

  /**
   * Answers a request whose path lies inside this mount; {@code rest} is the path below the mount
   * ("data/x").
   */
  SimResponse handle(VaultCall call, String rest);

  /** Direct seeding, bypassing auth: returns the new version (v2) or 0 (v1). */
  long write(String key, Map<String, String> data);

  Optional<Map<String, String>> read(String key);

  long currentVersion(String key);

  /** Keys with version bookkeeping, never values: for the admin state view. */
  ObjectNode describeKeys();

  /**
   * The immediate children of {@code dir} ("" or ending in '/'): leaf names, and folders with a
   * trailing '/'.
   */
  static SortedSet<String> children(Iterable<String> keys, String dir) {
    SortedSet<String> out = new TreeSet<>();
    for (String key : keys) {
      if (key.startsWith(dir) && key.length() > dir.length()) {
        String rest = key.substring(dir.length());
        int slash = rest.indexOf('/');
        out.add(slash < 0 ? rest : rest.substring(0, slash + 1));
      }
    }
    return out;
  }
}
