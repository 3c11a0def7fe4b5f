package io.tokenrotation.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.Durations;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API server compiles every schema pattern with Go's regexp (RE2: no lookaround, no
 * backreferences) and refuses the whole CRD when one does not compile. The operator matches the
 * same patterns with java.util.regex, so they must also mean the same in both engines.
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
    assertThat(Pattern.compile(ApiPatterns.VAULT_PATH).matcher(path).matches())
        .as("java.util.regex")
        .isEqualTo(valid);
    assertThat(com.google.re2j.Pattern.compile(ApiPatterns.VAULT_PATH).matcher(path).matches())
        .as("RE2")
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
    "SCOPE, Data Export, false"
  })
  void otherPatternsMeanTheSameInJavaAndRe2(String constant, String value, boolean valid)
      throws Exception {
    String regex = (String) ApiPatterns.class.getField(constant).get(null);
    assertThat(Pattern.compile(regex).matcher(value).matches())
        .as("java.util.regex")
        .isEqualTo(valid);
    assertThat(com.google.re2j.Pattern.compile(regex).matcher(value).matches())
        .as("RE2")
        .isEqualTo(valid);
  }

  // ---- AT_LEAST_A_MINUTE: the schema's share of the 1-minute minimum
  // -------------------------------------------

  private static final Pattern AT_LEAST_A_MINUTE = Pattern.compile(ApiPatterns.AT_LEAST_A_MINUTE);
  private static final com.google.re2j.Pattern AT_LEAST_A_MINUTE_RE2 =
      com.google.re2j.Pattern.compile(ApiPatterns.AT_LEAST_A_MINUTE);

  private static boolean atLeastAMinute(String duration) {
    boolean java = AT_LEAST_A_MINUTE.matcher(duration).matches();
    boolean re2 = AT_LEAST_A_MINUTE_RE2.matcher(duration).matches();
    assertThat(java).as("java.util.regex and RE2 agree on " + duration).isEqualTo(re2);
    return re2;
  }

  @ParameterizedTest(name = "refuses {0}")
  @ValueSource(
      strings = {
        "30s",
        "59s",
        "59.999s",
        "0s",
        "0m",
        "00m",
        "0.5m",
        "0.99m",
        "500ms",
        "59999ms",
        "0h",
        "0w",
        "0d",
        "0h0m30s",
        "0m59s0ms",
        "59999999us",
        "59999999µs",
        "59999999999ns",
        "1s",
        "30s0h"
      })
  void refusesWhatIsCertainlyBelowAMinute(String duration) {
    assertThat(atLeastAMinute(duration)).isFalse();
    assertThat(Durations.parse(duration)).isLessThan(Duration.ofMinutes(1));
  }

  @ParameterizedTest(name = "accepts {0}")
  @ValueSource(
      strings = {
        "1m",
        "1.5m",
        "01m",
        "60s",
        "90s",
        "060s",
        "59.5s1s",
        "60000ms",
        "60000000us",
        "60000000000ns",
        "24h",
        "0.5h",
        "7d",
        "1w",
        "1h30m",
        "0h1m",
        "0m60s",
        "30s30s",
        "100000000000ns"
      })
  void acceptsEveryIntervalOfAMinuteOrMore(String duration) {
    assertThat(atLeastAMinute(duration)).isTrue();
  }

  /**
   * Sums below a minute the pattern cannot see; SpecValidator refuses them (CrdSchemaTest,
   * SpecValidatorTest).
   */
  @ParameterizedTest(name = "lets {0} through")
  @ValueSource(strings = {"0.01h", "30s20s", "1s500ms", "0.5m10s", "0.0001d"})
  void letsSomeSubMinuteSumsThroughToTheValidator(String duration) {
    assertThat(atLeastAMinute(duration)).isTrue();
    assertThat(Durations.parse(duration)).isLessThan(Duration.ofMinutes(1));
  }

  /**
   * Never refuses a valid interval, over every one- and two-component duration built from numbers
   * around each unit's one-minute mark; and only durations.
   */
  @Test
  void neverRefusesADurationOfAMinuteOrMore() {
    List<String> numbers =
        List.of(
            "0",
            "00",
            "0.0",
            "0.5",
            "1",
            "01",
            "1.0",
            "9",
            "30",
            "59",
            "59.9",
            "60",
            "060",
            "61",
            "90",
            "599",
            "999",
            "59999",
            "60000",
            "99999",
            "59999999",
            "60000000",
            "59999999999",
            "60000000000");
    List<String> units = List.of("ns", "us", "µs", "ms", "s", "m", "h", "d", "w");
    List<String> components = new ArrayList<>();
    numbers.forEach(n -> units.forEach(u -> components.add(n + u)));
    List<String> durations = new ArrayList<>(components);
    components.forEach(a -> components.forEach(b -> durations.add(a + b)));
    int refused = 0;
    for (String duration : durations) {
      if (atLeastAMinute(duration)) {
        assertThat(duration).matches(ApiPatterns.DURATION);
      } else {
        refused++;
        assertThat(Durations.parse(duration)).as(duration).isLessThan(Duration.ofMinutes(1));
      }
    }
    assertThat(refused).as("it refuses a fair share").isGreaterThan(durations.size() / 10);
  }
}
