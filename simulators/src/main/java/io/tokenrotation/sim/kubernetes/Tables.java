package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the API server does for {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1}: {@code
 * meta.k8s.io/v1} Tables, for custom resources from the CRD's additionalPrinterColumns (plus Name)
 * like the apiextensions table convertor, for the few built-in resources the sandbox holds from
 * fixed columns. Printer columns' JSONPath: {@link JsonPathSubset}.
 */
final class Tables {
  private Tables() {}

  /** One column: definition plus how to compute its cell from an object. */
  record Column(
      String name,
      String type,
      String format,
      String description,
      int priority,
      Function<JsonNode, Object> cell) {}

  static final String NAME_DESCRIPTION =
      "Name must be unique within a namespace. Is required when creating "
          + "resources, although some resources may allow a client to request the generation of an appropriate name "
          + "automatically. Name is primarily intended for creation idempotence and configuration definition.";

  static Column nameColumn() {
    return new Column(
        "Name",
        "string",
        "name",
        NAME_DESCRIPTION,
        0,
        o -> o.path("metadata").path("name").asText());
  }

  static Column ageColumn(Instant now) {
    return new Column(
        "Age",
        "string",
        "",
        "CreationTimestamp is a timestamp representing the server time when this "
            + "object was created.",
        0,
        o -> age(o.path("metadata").path("creationTimestamp"), now));
  }

  /**
   * Columns of a custom resource version: Name, then the additionalPrinterColumns (as the real API
   * server).
   */
  static List<Column> crdColumns(JsonNode crdVersion, Instant now) {
    List<Column> columns = new ArrayList<>();
    columns.add(nameColumn());
    JsonNode printer = crdVersion.path("additionalPrinterColumns");
    if (!printer.isArray() || printer.isEmpty()) {
      columns.add(ageColumn(now)); // the CRD default when none are declared
      return columns;
    }
    for (JsonNode c : printer) {
      String type = c.path("type").asText("string");
      String path = c.path("jsonPath").asText();
      columns.add(
          new Column(
              c.path("name").asText(),
              type,
              c.path("format").asText(""),
              c.path("description").asText(""),
              c.path("priority").asInt(0),
              o -> crdCell(type, o, path, now)));
    }
    return columns;
  }

  /** Fixed columns for the built-in resources of the sandbox (a subset of kubectl's usual ones). */
  static List<Column> builtinColumns(String group, String resource, Instant now) {
    List<Column> columns = new ArrayList<>();
    switch (group + "/" + resource) {
      case "/events" -> {
        columns.add(
            new Column(
                "Last Seen",
                "string",
                "",
                "Time of the last occurrence",
                0,
                o ->
                    age(
                        o.path("lastTimestamp").isTextual()
                            ? o.path("lastTimestamp")
                            : o.path("eventTime"),
                        now)));
        columns.add(textColumn("Type", 0, o -> o.path("type")));
        columns.add(textColumn("Reason", 0, o -> o.path("reason")));
        columns.add(
            new Column(
                "Object",
                "string",
                "",
                "The object this event is about",
                0,
                o ->
                    o.path("involvedObject").path("kind").asText("").toLowerCase()
                        + "/"
                        + o.path("involvedObject").path("name").asText("")));
        columns.add(textColumn("Message", 0, o -> o.path("message")));
        columns.add(
            new Column(
                "Count",
                "integer",
                "",
                "How often it occurred",
                1,
                o -> o.path("count").isNumber() ? o.path("count").asLong() : null));
        Column name = nameColumn();
        columns.add(
            new Column(
                name.name(), name.type(), name.format(), name.description(), 1, name.cell()));
        return columns;
      }
      case "apiextensions.k8s.io/customresourcedefinitions" -> {
        columns.add(nameColumn());
        columns.add(textColumn("Created At", 0, o -> o.path("metadata").path("creationTimestamp")));
        return columns;
      }
      default -> {}
    }
    columns.add(nameColumn());
    switch (group + "/" + resource) {
      case "/namespaces" ->
          columns.add(textColumn("Status", 0, o -> o.path("status").path("phase")));
      case "/secrets" -> {
        columns.add(textColumn("Type", 0, o -> o.path("type")));
        columns.add(
            new Column(
                "Data",
                "integer",
                "",
                "Number of keys",
                0,
                o -> (long) (o.path("data").size() + o.path("stringData").size())));
      }
      case "/configmaps" ->
          columns.add(
              new Column(
                  "Data",
                  "integer",
                  "",
                  "Number of keys",
                  0,
                  o -> (long) (o.path("data").size() + o.path("binaryData").size())));
      case "/serviceaccounts" ->
          columns.add(
              new Column(
                  "Secrets",
                  "integer",
                  "",
                  "Number of secrets",
                  0,
                  o -> (long) o.path("secrets").size()));
      case "coordination.k8s.io/leases" ->
          columns.add(textColumn("Holder", 0, o -> o.path("spec").path("holderIdentity")));
      default -> {}
    }
    columns.add(ageColumn(now));
    return columns;
  }

  private static Column textColumn(String name, int priority, Function<JsonNode, JsonNode> value) {
    return new Column(
        name,
        "string",
        "",
        "",
        priority,
        o -> {
          JsonNode v = value.apply(o);
          return v == null || v.isMissingNode() || v.isNull() ? null : v.asText();
        });
  }

  /**
   * A {@code meta.k8s.io/v1} Table of {@code objects}; {@code includeObject} is None, Metadata
   * (default) or Object.
   */
  static ObjectNode table(
      List<Column> columns,
      List<JsonNode> objects,
      String includeObject,
      JsonNode listMeta,
      boolean withColumns) {
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode meta = table.putObject("metadata");
    if (listMeta != null) {
      for (String field : List.of("resourceVersion", "continue", "remainingItemCount")) {
        if (listMeta.hasNonNull(field)) {
          meta.set(field, listMeta.get(field));
        }
      }
    }
    if (withColumns) {
      ArrayNode definitions = table.putArray("columnDefinitions");
      for (Column c : columns) {
        definitions
            .addObject()
            .put("name", c.name())
            .put("type", c.type())
            .put("format", c.format())
            .put("description", c.description())
            .put("priority", c.priority());
      }
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object value;
        try {
          value = c.cell().apply(o);
        } catch (RuntimeException e) {
          value = null;
        }
        cells.add(Json.MAPPER.valueToTree(value));
      }
      if ("Object".equalsIgnoreCase(includeObject)) {
        row.set("object", o);
      } else if (!"None".equalsIgnoreCase(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", o.path("metadata").deepCopy());
      }
    }
    return table;
  }

  /** The cell of a CRD printer column, like the apiextensions-apiserver table convertor. */
  static Object crdCell(String type, JsonNode object, String jsonPath, Instant now) {
    List<JsonNode> results = JsonPathSubset.evaluate(object, jsonPath);
    if (results.isEmpty() || results.get(0) == null || results.get(0).isNull()) {
      return null;
    }
    JsonNode value = results.get(0);
    switch (type) {
      case "integer":
        return value.isIntegralNumber() ? value.asLong() : null;
      case "number":
        return value.isNumber() ? value.asDouble() : null;
      case "boolean":
        return value.isBoolean() ? value.asBoolean() : null;
      case "date":
        return value.isTextual() ? age(value, now) : null;
      default:
        return value.isValueNode() ? value.asText() : value.toString();
    }
  }

  /**
   * The age of an RFC 3339 timestamp as the API server prints it ({@code duration.HumanDuration}).
   */
  static String age(JsonNode timestamp, Instant now) {
    if (timestamp == null || !timestamp.isTextual()) {
      return "<unknown>";
    }
    try {
      Instant t = OffsetDateTime.parse(timestamp.asText()).toInstant();
      return humanDuration(Duration.between(t, now));
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }

  /**
   * Port of k8s.io/apimachinery/pkg/util/duration.HumanDuration (future times beyond 1 s are
   * "<invalid>").
   */
  static String humanDuration(Duration d) {
    long seconds =
        d.getSeconds(); // floor; Go truncates toward zero, which matters only for the sign check
    if (d.isNegative() && d.abs().getSeconds() > 1) {
      return "<invalid>";
    } else if (d.isNegative()) {
      return "0s";
    } else if (seconds < 60 * 2) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    } else if (minutes < 60 * 3) {
      return minutes + "m";
    }
    long hours = seconds / 3600;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    } else if (hours < 48) {
      return hours + "h";
    } else if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
    } else if (hours < 24 * 365 * 2) {
      return hours / 24 + "d";
    } else if (hours < 24 * 365 * 8) {
      long dy = (hours / 24) % 365;
      return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
    }
    return hours / 24 / 365 + "y";
  }
}
