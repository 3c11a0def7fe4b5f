package io.tokenrotation.sim.kubernetes;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The mock's key of a request path (kind, namespace, name...), remembered. The mock derives it for
 * every request by building a URL and matching a long regex, and a status write derived it twice: a
 * tenth of the embedded server's time in the benchmark, for paths that repeat (each resource's
 * status path, each ServiceAccount). The key depends on the path alone (the mock's {@code fromPath}
 * matches it against a fixed pattern; the CRDs it knows matter only for keys derived from objects),
 * so a remembered key never goes stale. Paths with a query (watches, selectors, resource versions)
 * are not remembered: they rarely repeat.
 */
final class PathKeys {
  /** Beyond this many paths the memory starts over (a fleet's paths fit many times). */
  static final int MAX_REMEMBERED = 50_000;

  private final Map<String, AttributeSet> keys = new ConcurrentHashMap<>();
  private final Function<String, AttributeSet> derive;

  PathKeys(Function<String, AttributeSet> derive) {
    this.derive = derive;
  }

  AttributeSet of(String path) {
    if (path == null || path.indexOf('?') >= 0) {
      return derive.apply(path);
    }
    AttributeSet known = keys.get(path);
    if (known != null) {
      return known;
    }
    AttributeSet key = derive.apply(path);
    if (keys.size() >= MAX_REMEMBERED) {
      keys.clear();
    }
    keys.put(path, key);
    return key;
  }
}
