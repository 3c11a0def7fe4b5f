package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery documents ({@code /api}, {@code /api/v1}, {@code /apis}, {@code /apis/G}, {@code
 * /apis/G/V}) and OpenAPI v3 documents of the embedded API: a fixed set of built-in resources plus
 * whatever CRDs the mock server stores.
 */
final class ApiDiscovery {
  private static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** One resource (or subresource) as discovery lists it. */
  record Resource(
      String group,
      String version,
      String name,
      String singular,
      String kind,
      boolean namespaced,
      List<String> verbs,
      List<String> shortNames,
      List<String> categories,
      JsonNode schema,
      JsonNode crdVersion) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    boolean isSubresource() {
      return name.contains("/");
    }
  }

  /** The built-in resources the sandbox uses (the operator's and kubectl's), without schemas. */
  static final List<Resource> BUILTIN =
      List.of(
          builtin("", "namespaces", "Namespace", false, "ns"),
          builtin("", "secrets", "Secret", true),
          builtin("", "serviceaccounts", "ServiceAccount", true, "sa"),
          new Resource(
              "authentication.k8s.io",
              "v1",
              "serviceaccounts/token",
              "",
              "TokenRequest",
              true,
              List.of("create"),
              List.of(),
              List.of(),
              null,
              null),
          builtin("", "events", "Event", true, "ev"),
          builtin("", "configmaps", "ConfigMap", true, "cm"),
          new Resource(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "customresourcedefinition",
              "CustomResourceDefinition",
              false,
              ALL_VERBS,
              List.of("crd", "crds"),
              List.of("api-extensions"),
              null,
              null),
          new Resource(
              "coordination.k8s.io",
              "v1",
              "leases",
              "lease",
              "Lease",
              true,
              ALL_VERBS,
              List.of(),
              List.of(),
              null,
              null));

  private static Resource builtin(
      String group, String name, String kind, boolean namespaced, String... shortNames) {
    return new Resource(
        group,
        "v1",
        name,
        kind.toLowerCase(),
        kind,
        namespaced,
        ALL_VERBS,
        List.of(shortNames),
        List.of(),
        null,
        null);
  }

  private final List<Resource> resources;

  /** {@code crds}: the CustomResourceDefinitionList the mock server returns. */
  ApiDiscovery(JsonNode crds) {
    List<Resource> all = new ArrayList<>(BUILTIN);
    for (JsonNode crd : crds.path("items")) {
      JsonNode spec = crd.path("spec");
      JsonNode names = spec.path("names");
      boolean namespaced = !"Cluster".equals(spec.path("scope").asText());
      for (JsonNode v : spec.path("versions")) {
        if (!v.path("served").asBoolean(true)) {
          continue;
        }
        String group = spec.path("group").asText();
        String version = v.path("name").asText();
        String plural = names.path("plural").asText();
        all.add(
            new Resource(
                group,
                version,
                plural,
                names.path("singular").asText(),
                names.path("kind").asText(),
                namespaced,
                ALL_VERBS,
                strings(names.path("shortNames")),
                strings(names.path("categories")),
                v.path("schema").path("openAPIV3Schema"),
                v));
        if (v.path("subresources").has("status")) {
          all.add(
              new Resource(
                  group,
                  version,
                  plural + "/status",
                  "",
                  names.path("kind").asText(),
                  namespaced,
                  List.of("get", "patch", "update"),
                  List.of(),
                  List.of(),
                  null,
                  null));
        }
      }
    }
    this.resources = List.copyOf(all);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** The main resource {@code name} in group/version, if served. */
  Optional<Resource> find(String group, String version, String name) {
    return resources.stream()
        .filter(
            r -> r.group().equals(group) && r.version().equals(version) && r.name().equals(name))
        .findFirst();
  }

  /** The API groups other than the core one, in order of first appearance, with their versions. */
  private Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Resource r : resources) {
      if (r.group().isEmpty() || r.name().equals("serviceaccounts/token")) {
        continue;
      }
      List<String> versions = groups.computeIfAbsent(r.group(), g -> new ArrayList<>());
      if (!versions.contains(r.version())) {
        versions.add(r.version());
      }
    }
    return groups;
  }

  /** {@code GET /api} */
  static ObjectNode apiVersions(String serverAddress) {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    doc.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return doc;
  }

  /** {@code GET /apis} */
  ObjectNode groupList() {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    groups().forEach((name, versions) -> groups.add(group(name, versions)));
    return doc;
  }

  /** {@code GET /apis/G} */
  Optional<ObjectNode> group(String name) {
    List<String> versions = groups().get(name);
    if (versions == null) {
      return Optional.empty();
    }
    ObjectNode doc = group(name, versions);
    doc.put("kind", "APIGroup");
    doc.put("apiVersion", "v1");
    return Optional.of(doc);
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode group = Json.object();
    group.put("name", name);
    ArrayNode list = group.putArray("versions");
    for (String v : versions) {
      list.addObject().put("groupVersion", name + "/" + v).put("version", v);
    }
    group
        .putObject("preferredVersion")
        .put("groupVersion", name + "/" + versions.get(0))
        .put("version", versions.get(0));
    return group;
  }

  /** {@code GET /api/v1} ({@code group} empty) or {@code GET /apis/G/V} */
  Optional<ObjectNode> resourceList(String group, String version) {
    List<Resource> matching = new ArrayList<>();
    for (Resource r : resources) {
      boolean core = group.isEmpty() && r.name().equals("serviceaccounts/token");
      if (core || r.group().equals(group) && r.version().equals(version)) {
        matching.add(r);
      }
    }
    if (matching.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = Json.object();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode list = doc.putArray("resources");
    for (Resource r : matching) {
      ObjectNode entry = list.addObject();
      entry.put("name", r.name());
      entry.put("singularName", r.singular());
      entry.put("namespaced", r.namespaced());
      if (r.name().equals("serviceaccounts/token")) {
        entry.put("group", "authentication.k8s.io");
        entry.put("version", "v1");
      }
      entry.put("kind", r.kind());
      entry.putPOJO("verbs", r.verbs());
      if (!r.shortNames().isEmpty()) {
        entry.putPOJO("shortNames", r.shortNames());
      }
      if (!r.categories().isEmpty()) {
        entry.putPOJO("categories", r.categories());
      }
      if (!r.isSubresource()) {
        entry.put("storageVersionHash", hash(r.groupVersion() + "/" + r.kind()).substring(0, 12));
      }
    }
    return Optional.of(doc);
  }

  /**
   * The group versions that have an OpenAPI v3 document, as {@code api/v1} and {@code apis/G/V}.
   */
  private List<String> openApiGroupVersions() {
    List<String> out = new ArrayList<>();
    out.add("api/v1");
    groups().forEach((g, versions) -> versions.forEach(v -> out.add("apis/" + g + "/" + v)));
    return out;
  }

  /** {@code GET /openapi/v3} */
  ObjectNode openApiV3Index() {
    ObjectNode doc = Json.object();
    ObjectNode paths = doc.putObject("paths");
    for (String gv : openApiGroupVersions()) {
      String body = openApiV3(gv).map(JsonNode::toString).orElse("");
      paths
          .putObject(gv)
          .put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(body).toUpperCase());
    }
    return doc;
  }

  /**
   * {@code GET /openapi/v3/api/v1} or {@code /openapi/v3/apis/G/V}: for each resource a PATCH
   * operation that takes {@code fieldValidation} (so kubectl's validation asks the server instead
   * of needing OpenAPI v2), and the custom resources' schemas with their group-version-kind (for
   * {@code kubectl explain}).
   */
  Optional<ObjectNode> openApiV3(String groupVersionPath) {
    String group;
    String version;
    String[] parts = groupVersionPath.split("/");
    if (parts.length == 2 && parts[0].equals("api")) {
      group = "";
      version = parts[1];
    } else if (parts.length == 3 && parts[0].equals("apis")) {
      group = parts[1];
      version = parts[2];
    } else {
      return Optional.empty();
    }
    List<Resource> matching =
        resources.stream()
            .filter(
                r -> !r.isSubresource() && r.group().equals(group) && r.version().equals(version))
            .toList();
    if (matching.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    String prefix = group.isEmpty() ? "/api/v1" : "/apis/" + group + "/" + version;
    for (Resource r : matching) {
      String path =
          prefix + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.name() + "/{name}";
      ObjectNode gvk =
          Json.object().put("group", group).put("version", version).put("kind", r.kind());
      ObjectNode patch = paths.putObject(path).putObject("patch");
      patch.put("operationId", "patch" + r.kind());
      patch.set("x-kubernetes-group-version-kind", gvk);
      patch.put("x-kubernetes-action", "patch");
      ArrayNode params = patch.putArray("parameters");
      for (String p : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        params
            .addObject()
            .put("name", p)
            .put("in", "query")
            .putObject("schema")
            .put("type", "string");
      }
      ObjectNode schema;
      if (r.schema() != null && r.schema().isObject()) {
        schema = r.schema().deepCopy();
        ObjectNode properties = schema.with("properties");
        properties
            .putObject("apiVersion")
            .put("type", "string")
            .put(
                "description",
                "APIVersion defines the "
                    + "versioned schema of this representation of an object.");
        properties
            .putObject("kind")
            .put("type", "string")
            .put(
                "description",
                "Kind is a string value "
                    + "representing the REST resource this object represents.");
        properties
            .putObject("metadata")
            .put("type", "object")
            .put("description", "Standard object's metadata.");
      } else {
        schema =
            Json.object().put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
      }
      schema.putArray("x-kubernetes-group-version-kind").add(gvk);
      String reversed = group.isEmpty() ? "io.k8s.api.core" : reverseDomain(group);
      schemas.set(reversed + "." + version + "." + r.kind(), schema);
    }
    return Optional.of(doc);
  }

  private static String reverseDomain(String group) {
    List<String> parts = new ArrayList<>(List.of(group.split("\\.")));
    Collections.reverse(parts);
    return String.join(".", parts);
  }

  static String hash(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
