package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared Dynatrace OpenAPI documents (copied into test resources) as validators for {@code
 * #/components/schemas/<Name>}, using networknt's OpenAPI 3.0 dialect (which knows {@code
 * nullable}).
 *
 * <p>Two adjustments, both applied to every schema the same way:
 *
 * <ul>
 *   <li>Non-required properties are made {@code nullable}: Dynatrace's generator never emits {@code
 *       nullable}, yet its docs show {@code "location": null} in constraint violations and say
 *       nextPageKey "has the value of null on the last page". Optional means absent or null.
 *   <li>Objects that declare properties get {@code additionalProperties: false}, so a misspelt or
 *       invented field (the docs' own {@code "disabled"} bug) fails validation instead of passing
 *       silently.
 * </ul>
 */
final class OpenApiSchemas {
  static final String V2 = "openapi/dynatrace-env-v2-apiTokens.openapi.json";
  static final String V1 = "openapi/dynatrace-env-v1-tokens.openapi.json";
  private static final String BASE = "https://schemas.sim.test/";

  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(
          SpecVersion.VersionFlag.V4,
          builder ->
              builder
                  .metaSchema(OpenApi30.getInstance())
                  .defaultMetaSchemaIri(OpenApi30.getInstance().getIri())
                  .schemaLoaders(
                      loaders ->
                          loaders.schemas(Map.of(BASE + V2, patched(V2), BASE + V1, patched(V1)))));
  private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

  private OpenApiSchemas() {}

  static JsonSchema schema(String document, String name) {
    return CACHE.computeIfAbsent(
        document + "#" + name,
        k ->
            FACTORY.getSchema(SchemaLocation.of(BASE + document + "#/components/schemas/" + name)));
  }

  static Set<ValidationMessage> errors(String document, String name, JsonNode body) {
    return schema(document, name).validate(body);
  }

  /**
   * Asserts {@code body} is a valid {@code name} of the document; the failure lists every
   * violation.
   */
  static void assertValid(String document, String name, JsonNode body) {
    assertThat(errors(document, name, body))
        .as("%s against %s in %s", body, name, document)
        .isEmpty();
  }

  static void assertValid(String document, String name, String body) {
    try {
      assertValid(document, name, Json.MAPPER.readTree(body));
    } catch (IOException e) {
      throw new AssertionError("response is not JSON: " + body, e);
    }
  }

  private static String patched(String resource) {
    try (InputStream in = OpenApiSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      JsonNode document = Json.MAPPER.readTree(in);
      Iterator<JsonNode> schemas = document.path("components").path("schemas").elements();
      while (schemas.hasNext()) {
        tighten((ObjectNode) schemas.next());
      }
      return document.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void tighten(ObjectNode schema) {
    JsonNode properties = schema.get("properties");
    if (properties == null || !properties.isObject()) {
      return;
    }
    Set<String> required = new HashSet<>();
    schema.path("required").forEach(r -> required.add(r.asText()));
    properties
        .fields()
        .forEachRemaining(
            p -> {
              if (!required.contains(p.getKey()) && !p.getValue().has("$ref")) {
                ((ObjectNode) p.getValue()).put("nullable", true);
              }
            });
    if (!schema.has("additionalProperties")) {
      schema.put("additionalProperties", false);
    }
  }
}
