package io.tokenrotation.operator.cluster;

import io.tokenrotation.sim.kubernetes.KubeRequest;
import java.util.Optional;

/**
 * A Kubernetes API request as RBAC sees it: verb, API group, resource, subresource, namespace
 * (empty for a cluster-wide request). Non-resource requests (discovery, /version) have {@code
 * resource} null.
 */
public record ApiRequest(
    String verb,
    String group,
    String resource,
    String subresource,
    Optional<String> namespace,
    String name,
    String raw) {

  /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
  public String rbacResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  public boolean nonResource() {
    return resource == null;
  }

  @Override
  public String toString() {
    return verb
        + " "
        + (group.isEmpty() ? "core" : group)
        + " "
        + rbacResource()
        + namespace.map(n -> " in " + n).orElse(" (cluster-wide)")
        + "   ["
        + raw
        + "]";
  }

  public static ApiRequest of(KubeRequest r) {
    String raw = r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query());
    String[] p = r.path().replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    if (p.length >= 2 && p[0].equals("api")) {
      group = "";
      i = 2; // api, v1
    } else if (p.length >= 3 && p[0].equals("apis")) {
      group = p[1];
      i = 3; // apis, group, version
    } else {
      return new ApiRequest(r.method().toLowerCase(), "", null, null, Optional.empty(), null, raw);
    }
    if (p.length <= i) {
      return new ApiRequest(
          r.method().toLowerCase(), group, null, null, Optional.empty(), null, raw);
    }
    Optional<String> namespace = Optional.empty();
    if (p[i].equals("namespaces") && p.length >= i + 3) {
      namespace = Optional.of(p[i + 1]);
      i += 2;
    }
    String resource = p[i];
    String name = p.length > i + 1 ? p[i + 1] : null;
    String subresource = p.length > i + 2 ? p[i + 2] : null;
    boolean watch =
        r.query() != null && (r.query().contains("watch=true") || r.query().contains("watch=1"));
    String verb =
        switch (r.method().toUpperCase()) {
          case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name == null ? "deletecollection" : "delete";
          default -> r.method().toLowerCase();
        };
    return new ApiRequest(verb, group, resource, subresource, namespace, name, raw);
  }
}
