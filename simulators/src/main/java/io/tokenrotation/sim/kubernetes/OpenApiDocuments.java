package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * OpenAPI as {@link KubectlFront} answers it: v3 ({@code /openapi/v3} and its group-version
 * documents, made by {@link ApiDiscovery} from the CRDs the mock stores: kubectl's server-side
 * field validation and explain) and an empty v2 document.
 */
final class OpenApiDocuments {
  private static final String V3 = "/openapi/v3";

  private final MockUpstream upstream;

  OpenApiDocuments(MockUpstream upstream) {
    this.upstream = upstream;
  }

  /**
   * The OpenAPI v3 index or group-version document at {@code path} (a trailing slash ignored), or
   * empty.
   */
  Optional<JsonNode> v3Document(String path) throws IOException {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals(V3)) {
      return Optional.of(upstream.discovery().openApiV3Index());
    }
    if (p.startsWith(V3 + "/")) {
      return upstream.discovery().openApiV3(p.substring((V3 + "/").length())).map(n -> n);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code path} is under {@code /openapi/v3/}: one {@link #v3Document} did not find is a
   * 404.
   */
  static boolean isV3Path(String path) {
    return path.startsWith(V3 + "/");
  }

  static boolean isV2Path(String path) {
    return path.equals("/openapi/v2");
  }

  /**
   * OpenAPI v2 is only asked for in protobuf ({@code kubectl apply}'s client-side validation). An
   * empty message is a valid, empty document: kubectl then knows no schemas and leaves validation
   * to the server (see OpenAPI v3).
   */
  static void respondV2(Request r, OutputStream out) throws IOException {
    String accept = r.header("Accept");
    if (accept != null && accept.contains("protobuf")) {
      // as kube-apiserver: Go's mime parser (kubectl 1.20) rejects the '@' of the requested media
      // type
      FrontHttp.respond(
          out,
          200,
          List.<String[]>of(new String[] {"Content-Type", "application/octet-stream"}),
          new byte[0]);
    } else {
      ObjectNode doc = Json.object();
      doc.put("swagger", "2.0");
      doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
      doc.putObject("paths");
      doc.putObject("definitions");
      FrontHttp.respondJson(out, 200, "application/json", doc);
    }
  }
}
