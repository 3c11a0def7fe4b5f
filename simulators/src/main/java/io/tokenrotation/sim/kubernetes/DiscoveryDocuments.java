package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * Discovery as {@link KubectlFront} answers it ({@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/G}, {@code /apis/G/V}) and {@code /version}: the mock server has none of them. The
 * documents are made by {@link ApiDiscovery} from the built-in resources and the CRDs the mock
 * stores at the time of the request.
 */
final class DiscoveryDocuments {
  private final MockUpstream upstream;
  private final IntSupplier port;

  /** {@code port}: the front's own, which {@code /api} names as the server address. */
  DiscoveryDocuments(MockUpstream upstream, IntSupplier port) {
    this.upstream = upstream;
    this.port = port;
  }

  /**
   * The discovery or version document at {@code path} (a trailing slash ignored), or empty when it
   * is none.
   */
  Optional<JsonNode> document(String path) throws IOException {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/api")) {
      return Optional.of(ApiDiscovery.apiVersions("127.0.0.1:" + port.getAsInt()));
    }
    if (p.equals("/version")) {
      ObjectNode version = Json.object();
      version
          .put("major", "1")
          .put("minor", "32")
          .put("gitVersion", "v1.32.0-sandbox")
          .put("gitCommit", "embedded")
          .put("gitTreeState", "clean")
          .put("buildDate", "2025-01-01T00:00:00Z")
          .put("goVersion", "java")
          .put("compiler", "java")
          .put("platform", "embedded/fabric8-mock");
      return Optional.of(version);
    }
    if (p.equals("/api/v1")) {
      return upstream.discovery().resourceList("", "v1").map(n -> n);
    }
    if (p.equals("/apis")) {
      return Optional.of(upstream.discovery().groupList());
    }
    String[] parts = p.split("/");
    if (p.startsWith("/apis/") && parts.length == 3) {
      return upstream.discovery().group(parts[2]).map(n -> n);
    }
    if (p.startsWith("/apis/") && parts.length == 4) {
      return upstream.discovery().resourceList(parts[2], parts[3]).map(n -> n);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code path} has the shape of a group or group-version document ({@code /apis/G},
   * {@code /apis/G/V}, {@code /api/V}): one {@link #document} did not find is an unknown group or
   * version, 404.
   */
  static boolean isDiscoveryPath(String path) {
    String[] parts = path.split("/");
    return path.startsWith("/apis/") && (parts.length == 3 || parts.length == 4)
        || path.startsWith("/api/") && parts.length == 3;
  }
}
