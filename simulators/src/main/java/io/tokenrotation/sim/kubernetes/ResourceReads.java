package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A GET of a list or an object that {@link KubectlFront} answers itself from the mock's answer:
 * with the field selector applied here ({@link FieldSelector}), in etcd order, as a Table if asked
 * for ({@link TableRendering}), and a list with its typed kind (e.g. {@code EventList}) where the
 * mock says {@code List}.
 */
final class ResourceReads {
  /** Query parameters the front evaluates, not passed to the mock. */
  private static final Set<String> FRONT_PARAMS = Set.of("fieldSelector", "includeObject");

  private final MockUpstream upstream;
  private final TableRendering tables;

  ResourceReads(MockUpstream upstream, TableRendering tables) {
    this.upstream = upstream;
    this.tables = tables;
  }

  void read(Request r, ResourcePath resource, OutputStream out) throws IOException {
    FieldSelector selector;
    try {
      selector = FieldSelector.parse(r.params().get("fieldSelector"));
    } catch (IllegalArgumentException e) {
      FrontHttp.respondStatus(out, 400, "BadRequest", e.getMessage());
      return;
    }
    MockUpstream.Fetched fetched =
        upstream.internal("GET", r.path() + r.queryWithout(FRONT_PARAMS), r.headers());
    if (fetched.status() != 200) {
      FrontHttp.respond(out, fetched.status(), fetched.headers(), fetched.body());
      return;
    }
    JsonNode body = Json.MAPPER.readTree(fetched.body());
    boolean list = resource.name() == null;
    List<JsonNode> objects = new ArrayList<>();
    if (list) {
      body.path("items")
          .forEach(
              item -> {
                if (selector.matches(item)) {
                  objects.add(item);
                }
              });
      // etcd order, as a real API server lists: by namespace, then name
      objects.sort(
          Comparator.comparing((JsonNode o) -> o.path("metadata").path("namespace").asText(""))
              .thenComparing(o -> o.path("metadata").path("name").asText("")));
    } else {
      objects.add(body);
    }
    if (TableRendering.wanted(r)) {
      List<Tables.Column> columns = tables.columns(resource);
      FrontHttp.respondJson(
          out,
          200,
          TableRendering.CONTENT_TYPE,
          TableRendering.table(columns, objects, r, list ? body.path("metadata") : null));
    } else if (list) {
      FrontHttp.respondJson(out, 200, "application/json", typedList(resource, body, objects));
    } else {
      FrontHttp.respondJson(out, 200, "application/json", body);
    }
  }

  /**
   * The mock says "kind: List"; typed clients (kubectl describe's event list) need e.g. EventList.
   */
  private ObjectNode typedList(ResourcePath resource, JsonNode body, List<JsonNode> objects)
      throws IOException {
    ObjectNode typed = Json.object();
    Optional<ApiDiscovery.Resource> known =
        upstream.discovery().find(resource.group(), resource.version(), resource.resource());
    typed.put("kind", known.map(k -> k.kind() + "List").orElse(body.path("kind").asText("List")));
    typed.put(
        "apiVersion",
        resource.group().isEmpty()
            ? resource.version()
            : resource.group() + "/" + resource.version());
    typed.set("metadata", body.path("metadata").isObject() ? body.get("metadata") : Json.object());
    typed.putArray("items").addAll(objects);
    return typed;
  }
}
