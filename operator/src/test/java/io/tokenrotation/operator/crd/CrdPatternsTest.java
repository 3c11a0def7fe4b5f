package io.tokenrotation.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tokenrotation.operator.api.ApiPatterns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API server compiles every schema pattern with Go's regexp (RE2: no lookaround, no backreferences) and refuses
 * the whole CRD when one does not compile. The operator matches the same patterns with java.util.regex, so they must
 * also mean the same in both engines.
 */
class CrdPatternsTest {

  /** The patterns of every committed CRD. */
  static Stream<String> crdPatterns() throws IOException {
    List<String> patterns = new ArrayList<>();
    for (String file : Crds.FILES) {
      JsonNode crd = new YAMLMapper().readTree(Crds.committed(file).toFile());
      List<String> own = new ArrayList<>();
      collect(crd.at("/spec/versions/0/schema/openAPIV3Schema"), own);
      assertThat(own).as(file).hasSizeGreaterThan(10);
      patterns.addAll(own);
    }
    return patterns.stream().distinct();
  }

  private static void collect(JsonNode schema, List<String> into) {
    if (schema.has("pattern")) {
      into.add(schema.get("pattern").asText());
    }
    for (Iterator<JsonNode> it = schema.path("properties").elements(); it.hasNext(); ) {
      collect(it.next(), into);
    }
    if (schema.has("items")) {
      collect(schema.get("items"), into);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("crdPatterns")
  void compilesAsRe2(String pattern) {
    assertThatCode(() -> com.google.re2j.Pattern.compile(pattern)).doesNotThrowAnyException();
  }

  static Stream<Arguments> vaultPaths() {
    return Stream.of(
        Arguments.of("dynatrace/master", true),
        Arguments.of("dynatrace/automation_script1", true),
        Arguments.of("a", true),
        Arguments.of("team-a/app.v2/token@prod+x=y,z", true),
        Arguments.of(".hidden/x", true),
        Arguments.of("x/..hidden", true),
        Arguments.of("x/.../y", true),
        Arguments.of("a./b", true),
        Arguments.of("", false),
        Arguments.of("/dynatrace/master", false),
        Arguments.of("dynatrace/master/", false),
        Arguments.of("dynatrace//master", false),
        Arguments.of(".", false),
        Arguments.of("..", false),
        Arguments.of("./x", false),
        Arguments.of("../x", false),
        Arguments.of("x/./y", false),
        Arguments.of("x/../y", false),
        Arguments.of("x/.", false),
        Arguments.of("x/..", false),
        Arguments.of("a b", false),
        Arguments.of("a\\b", false));
  }

  @ParameterizedTest(name = "\"{0}\" valid={1}")
  @MethodSource("vaultPaths")
  void vaultPathMeansTheSameInJavaAndRe2(String path, boolean valid) {
    assertThat(Pattern.compile(ApiPatterns.VAULT_PATH).matcher(path).matches()).as("java.util.regex").isEqualTo(valid);
    assertThat(com.google.re2j.Pattern.compile(ApiPatterns.VAULT_PATH).matcher(path).matches()).as("RE2")
        .isEqualTo(valid);
  }

  @ParameterizedTest(name = "{0} ~ \"{1}\" = {2}")
  @CsvSource({
      "DURATION, 1h30m, true",
      "DURATION, 2µs, true",
      "DURATION, 10 m, false",
      "HTTP_URL, https://vault.example:8200, true",
      "HTTP_URL, https://[::1]:8200/v1, true",
      "HTTP_URL, ftp://vault.example, false",
      "DNS_SUBDOMAIN, token-rotator, true",
      "DNS_SUBDOMAIN, Token-Rotator, false",
      "SECRET_KEY, ca.crt, true",
      "SECRET_KEY, a/b, false",
      "FIELD, api-token, true",
      "FIELD, api token, false",
      "TOKEN_ID, dt0c01.ST2EY72KQINMH574WMNVI7YN, true",
      "TOKEN_ID, dt0c01.ST2EY72KQINMH574WMNVI7YN.SECRETPARTSECRETPARTSECRETPART, false",
      "TOKEN_ID, automation_script1, false",
      "SCOPE, apiTokens.read, true",
      "SCOPE, openpipeline.events_sdlc.custom, true",
      "SCOPE, Data Export, false"})
  void otherPatternsMeanTheSameInJavaAndRe2(String constant, String value, boolean valid) throws Exception {
    String regex = (String) ApiPatterns.class.getField(constant).get(null);
    assertThat(Pattern.compile(regex).matcher(value).matches()).as("java.util.regex").isEqualTo(valid);
    assertThat(com.google.re2j.Pattern.compile(regex).matcher(value).matches()).as("RE2").isEqualTo(valid);
  }
}
