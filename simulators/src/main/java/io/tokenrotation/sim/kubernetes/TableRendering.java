package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Server-side Tables as {@link KubectlFront} serves them, for reads ({@link ResourceReads}) and
 * watches ({@link WatchStreams}) alike: whether a request asks for one, which columns a resource
 * has now (the CRD's printer columns, or fixed ones for a built-in resource) and the Table itself
 * ({@link Tables}).
 */
final class TableRendering {
  /** The content type of a Table response (and of a Table watch). */
  static final String CONTENT_TYPE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private final MockUpstream upstream;
  private final Clock clock;

  TableRendering(MockUpstream upstream, Clock clock) {
    this.upstream = upstream;
    this.clock = clock;
  }

  /** Whether the client asks for a Table ({@code Accept: application/json;as=Table;...}). */
  static boolean wanted(Request r) {
    String accept = r.header("Accept");
    return accept != null && accept.replace(" ", "").contains("as=Table");
  }

  /** The columns of {@code resource}, ages computed at the clock's now. */
  List<Tables.Column> columns(ResourcePath resource) throws IOException {
    Instant now = clock.instant();
    Optional<ApiDiscovery.Resource> known =
        upstream.discovery().find(resource.group(), resource.version(), resource.resource());
    if (known.isPresent() && known.get().crdVersion() != null) {
      return Tables.crdColumns(known.get().crdVersion(), now);
    }
    return Tables.builtinColumns(resource.group(), resource.resource(), now);
  }

  /**
   * A Table of {@code objects}, with the request's {@code includeObject}; {@code listMeta} may be
   * null.
   */
  static ObjectNode table(
      List<Tables.Column> columns, List<JsonNode> objects, Request r, JsonNode listMeta) {
    return Tables.table(columns, objects, r.params().get("includeObject"), listMeta, true);
  }
}
