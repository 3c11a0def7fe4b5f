package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {
  private static JsonNode json(String text) throws Exception {
    return Json.MAPPER.readTree(text);
  }

  @Test
  void agesLikeTheApiServer() {
    assertThat(Tables.humanDuration(Duration.ofSeconds(0))).isEqualTo("0s");
    assertThat(Tables.humanDuration(Duration.ofMillis(-900))).isEqualTo("0s");
    assertThat(Tables.humanDuration(Duration.ofSeconds(-2))).isEqualTo("<invalid>");
    assertThat(Tables.humanDuration(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(Tables.humanDuration(Duration.ofSeconds(5 * 60 + 2))).isEqualTo("5m2s");
    assertThat(Tables.humanDuration(Duration.ofMinutes(7))).isEqualTo("7m");
    assertThat(Tables.humanDuration(Duration.ofMinutes(42))).isEqualTo("42m");
    assertThat(Tables.humanDuration(Duration.ofMinutes(3 * 60 + 5))).isEqualTo("3h5m");
    assertThat(Tables.humanDuration(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(Tables.humanDuration(Duration.ofHours(72))).isEqualTo("3d");
    assertThat(Tables.humanDuration(Duration.ofHours(75))).isEqualTo("3d3h");
    assertThat(Tables.humanDuration(Duration.ofDays(100))).isEqualTo("100d");
    assertThat(Tables.humanDuration(Duration.ofDays(3 * 365 + 10))).isEqualTo("3y10d");
    assertThat(Tables.humanDuration(Duration.ofDays(9 * 365))).isEqualTo("9y");
  }

  @Test
  void printerColumnJsonPaths() throws Exception {
    JsonNode o =
        json(
            """
        {"metadata":{"name":"a"},"spec":{"vault":{"path":"dynatrace/a"}},"status":{"conditions":[
          {"type":"Stalled","status":"False","reason":"Idle"},
          {"type":"Ready","status":"True","reason":"Rotated"}],"failedAttempts":2}}""");
    assertThat(JsonPathSubset.evaluate(o, ".status.conditions[?(@.type==\"Ready\")].status"))
        .extracting(JsonNode::asText)
        .containsExactly("True");
    assertThat(JsonPathSubset.evaluate(o, "{.status.conditions[?(@.type=='Stalled')].reason}"))
        .extracting(JsonNode::asText)
        .containsExactly("Idle");
    assertThat(JsonPathSubset.evaluate(o, ".status.conditions[1].type"))
        .extracting(JsonNode::asText)
        .containsExactly("Ready");
    assertThat(JsonPathSubset.evaluate(o, ".status.conditions[*].type")).hasSize(2);
    assertThat(JsonPathSubset.evaluate(o, ".spec.vault.path"))
        .extracting(JsonNode::asText)
        .containsExactly("dynatrace/a");
    assertThat(JsonPathSubset.evaluate(o, ".status.tokenId")).isEmpty();
    assertThat(Tables.crdCell("integer", o, ".status.failedAttempts", Instant.EPOCH)).isEqualTo(2L);
    assertThat(Tables.crdCell("string", o, ".status.missing", Instant.EPOCH)).isNull();
  }

  @Test
  void dateColumnsAreAges() throws Exception {
    JsonNode o =
        json(
            "{\"status\":{\"lastRotationTime\":\"2025-01-01T00:00:00Z\","
                + "\"nextRotationTime\":\"2025-01-01T00:10:00.123456Z\"}}");
    Instant now = Instant.parse("2025-01-01T00:05:02Z");
    assertThat(Tables.crdCell("date", o, ".status.lastRotationTime", now)).isEqualTo("5m2s");
    assertThat(Tables.crdCell("date", o, ".status.nextRotationTime", now)).isEqualTo("<invalid>");
  }

  @Test
  void fieldSelectors() throws Exception {
    JsonNode event =
        json(
            "{\"type\":\"Normal\",\"involvedObject\":{\"name\":\"master\",\"kind\":\"TokenRotation\"}}");
    assertThat(
            FieldSelector.parse("involvedObject.name=master,involvedObject.kind==TokenRotation")
                .matches(event))
        .isTrue();
    assertThat(FieldSelector.parse("involvedObject.name=other").matches(event)).isFalse();
    assertThat(FieldSelector.parse("type!=Warning").matches(event)).isTrue();
    assertThat(FieldSelector.parse("involvedObject.uid=").matches(event)).isTrue();
    assertThat(FieldSelector.parse("").isEmpty()).isTrue();
  }

  @Test
  void tableShape() throws Exception {
    JsonNode crdVersion =
        json(
            """
        {"name":"v1","additionalPrinterColumns":[
          {"name":"Ready","type":"string","jsonPath":".status.ready"},
          {"name":"Path","type":"string","jsonPath":".spec.path","priority":1}]}""");
    JsonNode o = json("{\"metadata\":{\"name\":\"x\",\"uid\":\"u\"},\"spec\":{\"path\":\"p\"}}");
    JsonNode table =
        Tables.table(
            Tables.crdColumns(crdVersion, Instant.EPOCH),
            List.of(o),
            null,
            json("{\"resourceVersion\":\"7\"}"),
            true);
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isEqualTo("7");
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .containsExactly("Name", "Ready", "Path");
    assertThat(table.path("rows").get(0).path("cells").toString()).isEqualTo("[\"x\",null,\"p\"]");
    assertThat(table.path("rows").get(0).path("object").path("kind").asText())
        .isEqualTo("PartialObjectMetadata");
  }
}
