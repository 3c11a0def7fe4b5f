package io.tokenrotation.sim.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A resource URL: {@code /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]]} or the same under {@code
 * /apis/G/V}.
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource) {
  static Optional<ResourcePath> parse(String path) {
    String[] all = path.split("/");
    List<String> parts = new ArrayList<>(List.of(all).subList(Math.min(1, all.length), all.length));
    String group;
    String version;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      parts = parts.subList(2, parts.size());
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      parts = parts.subList(3, parts.size());
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (parts.size() >= 3 && parts.get(0).equals("namespaces")) {
      namespace = parts.get(1);
      parts = parts.subList(2, parts.size());
    }
    if (parts.isEmpty() || parts.size() > 3) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourcePath(
            group,
            version,
            namespace,
            parts.get(0),
            parts.size() > 1 ? parts.get(1) : null,
            parts.size() > 2 ? parts.get(2) : null));
  }

  /** The collection URL of this resource (the list a watch polls). */
  String collection() {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return prefix + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + resource;
  }
}
