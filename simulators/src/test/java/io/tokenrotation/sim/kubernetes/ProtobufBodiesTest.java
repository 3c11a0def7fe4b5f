package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.Json;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The request bodies kubectl v1.32.4 sent (copied from {@code kubectl -v=9}), translated to JSON.
 */
class ProtobufBodiesTest {
  static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  /** kubectl create secret generic s2 --from-literal=a=b --type=Opaque */
  static final String SECRET =
      "6b3873000a0c0a027631120653656372657412240a120a02733212001a0022002a003200380042001206"
          + "0a01611201621a064f70617175651a002200";

  /** kubectl create namespace demo2 */
  static final String NAMESPACE =
      "6b3873000a0f0a02763112094e616d657370616365121d0a150a0564656d6f3212001a0022002a00"
          + "32003800420012001a020a001a002200";

  /** kubectl create configmap c1 --from-literal=k=v */
  static final String CONFIG_MAP =
      "6b3873000a0f0a0276311209436f6e6669674d6170121c0a120a02633112001a0022002a0032003800"
          + "420012060a016b1201761a002200";

  /** kubectl create serviceaccount sa1 */
  static final String SERVICE_ACCOUNT =
      "6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a00"
          + "22002a003200380042001a002200";

  /** kubectl create token default */
  static final String TOKEN_REQUEST =
      "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e"
          + "52657175657374121a0a100a0012001a0022002a0032003800420012001a040a0012001a002200";

  /** kubectl create quota q1 --hard=pods=1 (a kind not translated) */
  static final String QUOTA =
      "6b3873000a130a027631120d5265736f7572636551756f746112250a120a02713112001a0022002a003200"
          + "38004200120d0a0b0a04706f647312030a01311a001a002200";

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replace(" ", ""));
  }

  private static JsonNode json(String hex) throws Exception {
    return Json.MAPPER.readTree(ProtobufBodies.toJson(PROTOBUF, bytes(hex)));
  }

  @Test
  void secretAsKubectlCreateSecretGenericSendsIt() throws Exception {
    assertThat(json(SECRET))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s2"},"data":{"a":"Yg=="},"type":"Opaque"}"""));
  }

  @Test
  void namespaceConfigMapServiceAccountAndTokenRequest() throws Exception {
    assertThat(json(NAMESPACE))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo2"},"spec":{},"status":{}}"""));
    assertThat(json(CONFIG_MAP))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c1"},"data":{"k":"v"}}"""));
    assertThat(json(SERVICE_ACCOUNT))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa1"}}"""));
    assertThat(json(TOKEN_REQUEST))
        .isEqualTo(
            Json.MAPPER.readTree(
                """
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{},"spec":{},"status":{}}"""));
  }

  @Test
  void pointerFieldsAreKeptAtZeroPlainFieldsAreNot() throws Exception {
    // Secret{metadata{name "x", generation 0, labels{app: yyy}}, immutable false}, encoded by hand
    String hex =
        "6b387300 0a0c0a0276311206536563726574 1215 0a11 0a0178 3800 5a0a0a036170701203797979 2800";
    JsonNode secret = json(hex);
    assertThat(secret.path("metadata").has("generation")).isFalse();
    assertThat(secret.path("metadata").path("labels").path("app").asText()).isEqualTo("yyy");
    assertThat(secret.path("immutable").isBoolean()).isTrue();
    assertThat(secret.path("immutable").asBoolean()).isFalse();
  }

  @Test
  void otherKindsAndBrokenBodiesAreRefusedWithAReason() {
    assertThatThrownBy(() -> ProtobufBodies.toJson(PROTOBUF, bytes(QUOTA)))
        .isInstanceOf(ProtobufBodies.Unsupported.class)
        .hasMessageContaining("ResourceQuota (v1)")
        .hasMessageContaining("v1/Secret");
    byte[] truncated = bytes(SECRET);
    assertThatThrownBy(() -> ProtobufBodies.toJson(PROTOBUF, Arrays.copyOf(truncated, 30)))
        .isInstanceOf(ProtobufBodies.Unsupported.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> ProtobufBodies.toJson("application/cbor", new byte[] {1}))
        .isInstanceOf(ProtobufBodies.Unsupported.class)
        .hasMessageContaining("application/cbor");
    assertThatThrownBy(() -> ProtobufBodies.toJson(PROTOBUF, "{}".getBytes()))
        .isInstanceOf(ProtobufBodies.Unsupported.class)
        .hasMessageContaining("k8s");
  }

  @Test
  void whatTheMockReadsItself() {
    assertThat(ProtobufBodies.readableByMock(null)).isTrue();
    assertThat(ProtobufBodies.readableByMock("application/json; charset=utf-8")).isTrue();
    assertThat(ProtobufBodies.readableByMock("application/strategic-merge-patch+json")).isTrue();
    assertThat(ProtobufBodies.readableByMock("application/apply-patch+yaml")).isTrue();
    assertThat(ProtobufBodies.readableByMock(PROTOBUF)).isFalse();
    assertThat(ProtobufBodies.readableByMock("application/cbor")).isFalse();
  }
}
