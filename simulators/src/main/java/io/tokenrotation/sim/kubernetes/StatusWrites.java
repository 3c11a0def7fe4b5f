package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT .../status}: the stored object with the body's status, as the mock's own handler
 * builds it, plus what the mock lacks and a real API server does: a body carrying a resourceVersion
 * that is no longer current is a 409 Conflict. The operator's crash safety rests on exactly that
 * 409 (a write from an old copy must fail before any later side effect).
 *
 * <p>A well-formed write is served here in full: the mock's handler parses the body three times
 * (once into a typed object only to validate it, once more to learn the new object's key) and the
 * stored object twice, which made status writes a third of the benchmark's CPU time. Anything the
 * mock's handler treats specially (a body without kind, apiVersion or name, an object being
 * deleted, a path with a query, an unknown object) is left to it, after the conflict check.
 *
 * <p>Called under the mock's write lock, so no write slips in between the check and the write.
 */
final class StatusWrites {
  private final KubernetesCrudPersistence mock;
  private final NameIndexedStore store;

  StatusWrites(KubernetesCrudPersistence mock, NameIndexedStore store) {
    this.mock = mock;
    this.store = store;
  }

  static boolean isStatusWrite(String path) {
    return path != null && path.split("\\?", 2)[0].endsWith("/status");
  }

  /** The answer, or empty for the mock's own handler to give it. */
  Optional<MockResponse> serve(String path, byte[] body) {
    AttributeSet key = mock.getKey(path);
    List<Map.Entry<AttributeSet, String>> found = store.findByName(key);
    if (found == null || found.isEmpty()) {
      return Optional.empty(); // no single object named: the mock answers (404 or its own way)
    }
    Map.Entry<AttributeSet, String> stored = found.get(0);
    JsonNode request = tree(body);
    JsonNode current = tree(stored.getValue());
    if (request == null || current == null) {
      return Optional.empty(); // not JSON: the mock answers it as it would
    }
    String expected = text(request.path("metadata").path("resourceVersion"));
    if (expected != null
        && !expected.equals(text(current.path("metadata").path("resourceVersion")))) {
      return Optional.of(conflict());
    }
    if (path.indexOf('?') >= 0 || !simple(request)) {
      return Optional.empty();
    }
    ObjectNode updated = current.deepCopy();
    JsonNode status = request.get("status");
    if (status != null) {
      updated.set("status", status);
    } else {
      updated.remove("status");
    }
    mock.touchResourceVersion(current, updated);
    String response = Serialization.asJson(updated);
    mock.processEvent(path, key, stored.getKey(), keyOf(updated), response);
    return Optional.of(new MockResponse().setResponseCode(200).setBody(response));
  }

  /**
   * What the mock's handler accepts without a special case: kind, apiVersion and a name, and no
   * deletion in progress (the mock would delete the object).
   */
  private static boolean simple(JsonNode request) {
    JsonNode metadata = request.path("metadata");
    return request.isObject()
        && text(request.path("kind")) != null
        && text(request.path("apiVersion")) != null
        && metadata.isObject()
        && text(metadata.path("name")) != null
        && metadata.path("deletionTimestamp").isMissingNode();
  }

  /**
   * The fields the mock derives an object's key from (apiVersion, kind, name, namespace, labels):
   * handing it these spares it parsing the whole new object again. The key is the one it would
   * derive, since a status write leaves metadata as it was.
   */
  private static GenericKubernetesResource keyOf(JsonNode object) {
    GenericKubernetesResource resource = new GenericKubernetesResource();
    resource.setApiVersion(object.path("apiVersion").asText());
    resource.setKind(object.path("kind").asText());
    JsonNode metadata = object.path("metadata");
    ObjectMeta meta = new ObjectMeta();
    meta.setName(text(metadata.path("name")));
    meta.setNamespace(text(metadata.path("namespace")));
    if (metadata.path("labels").isObject()) {
      Map<String, String> labels = new LinkedHashMap<>();
      metadata
          .path("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      meta.setLabels(labels);
    }
    resource.setMetadata(meta);
    return resource;
  }

  private static MockResponse conflict() {
    return new MockResponse().setResponseCode(409).setBody(KubeFaults.statusBody(409));
  }

  private static JsonNode tree(byte[] json) {
    try {
      return Serialization.jsonMapper().readTree(json);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static JsonNode tree(String json) {
    try {
      return Serialization.jsonMapper().readTree(json);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
  }
}
