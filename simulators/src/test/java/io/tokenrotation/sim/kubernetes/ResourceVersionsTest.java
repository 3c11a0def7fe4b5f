package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceVersionsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NONE",
      value = {
        "the version of an object | {\"kind\":\"X\",\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"42\"}} | 42",
        "after nested fields of its own | {\"spec\":{\"metadata\":{\"resourceVersion\":\"1\"}},\"metadata\":{\"labels\":{\"a\":\"b\"},\"resourceVersion\":\"7\"}} | 7",
        "none when metadata has none | {\"metadata\":{\"name\":\"a\"}} | NONE",
        "none when it is empty | {\"metadata\":{\"resourceVersion\":\"\"}} | NONE",
        "none when it is not a string | {\"metadata\":{\"resourceVersion\":5}} | NONE",
        "none without metadata | {\"status\":{}} | NONE",
        "none for a list | [1,2] | NONE",
        "none for what is not JSON | not json | NONE",
      })
  void readsTheResourceVersion(String sentence, String json, String expected) {
    assertThat(ResourceVersions.of(json)).isEqualTo(expected);
    assertThat(ResourceVersions.of(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
  }
}
