package io.tokenrotation.sim.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The small grammars: time parameters, token format, selectors. */
class ParsersTest {
  private static final Instant NOW = Instant.parse("2030-05-15T10:20:30.456Z"); // a Wednesday

  @Test
  void relativeTimesWithUnitsAndAlignment() {
    assertThat(ExpirationParser.parse("now+90m", NOW)).isEqualTo("2030-05-15T11:50:30.456Z");
    assertThat(ExpirationParser.parse("now-2h", NOW)).isEqualTo("2030-05-15T08:20:30.456Z");
    assertThat(ExpirationParser.parse("now+1w", NOW)).isEqualTo("2030-05-22T10:20:30.456Z");
    assertThat(ExpirationParser.parse("now+1M", NOW)).isEqualTo("2030-06-15T10:20:30.456Z");
    assertThat(ExpirationParser.parse("now-1y", NOW)).isEqualTo("2029-05-15T10:20:30.456Z");
    assertThat(ExpirationParser.parse("now/d", NOW)).isEqualTo("2030-05-15T00:00:00Z");
    assertThat(ExpirationParser.parse("now-1y/w", NOW)).isEqualTo("2029-05-14T00:00:00Z"); // Monday
    assertThat(ExpirationParser.parse("now/M", NOW)).isEqualTo("2030-05-01T00:00:00Z");
  }

  @Test
  void absoluteTimes() {
    assertThat(ExpirationParser.parse("1611554221123", NOW)).isEqualTo("2021-01-25T05:57:01.123Z");
    assertThat(ExpirationParser.parse("2021-01-25T05:57:01.123+01:00", NOW))
        .isEqualTo("2021-01-25T04:57:01.123Z");
    assertThat(ExpirationParser.parse("2021-01-25T05:57", NOW)).isEqualTo("2021-01-25T05:57:00Z");
    assertThat(ExpirationParser.parse("2021-01-25 05:57:01Z", NOW))
        .isEqualTo("2021-01-25T05:57:01Z");
    for (String bad : List.of("", "tomorrow", "now+3x", "2021-13-01T00:00", "now+")) {
      assertThatThrownBy(() -> ExpirationParser.parse(bad, NOW))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void outputFormatAlwaysHasMillisAndZ() {
    assertThat(ExpirationParser.format(Instant.parse("2030-01-01T00:00:00Z")))
        .isEqualTo("2030-01-01T00:00:00.000Z");
  }

  @Test
  void generatedTokensHaveTheDocumentedShapeAndDiffer() {
    Set<String> tokens = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      String token = TokenFormat.newToken();
      assertThat(token).hasSize(96).matches("dt0c01\\.[A-Z2-7]{24}\\.[A-Z2-7]{64}");
      assertThat(TokenFormat.looksLikeToken(token)).isTrue();
      tokens.add(token);
    }
    assertThat(tokens).hasSize(200);
    assertThat(
            TokenFormat.maskSecrets("x/dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX." + "A".repeat(64) + "?y"))
        .isEqualTo("x/dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.***?y");
  }

  @Test
  void selectorReadsQuotedValuesWithEscapes() {
    StoredToken token =
        new StoredToken(
            "id",
            "h",
            1,
            "n",
            true,
            "we\"ird,owner",
            List.of("a.b"),
            NOW,
            null,
            null,
            null,
            null,
            false);
    assertThat(ApiTokenSelector.parse("owner(\"we~\"ird~,owner\")").test(token)).isTrue();
    assertThat(ApiTokenSelector.parse(" owner(\"x\") ").test(token)).isFalse();
    assertThat(
            ApiTokenSelector.parse("scope(\"z\", \"a.b\"), personalAccessToken(false)").test(token))
        .isTrue();
    for (String bad :
        List.of(
            "owner(",
            "owner(\"x\"",
            "owner(\"a\",\"b\")",
            "scope()",
            "personalAccessToken(maybe)",
            "owner(\"x\") scope(\"y\")")) {
      assertThatThrownBy(() -> ApiTokenSelector.parse(bad)).as(bad).isInstanceOf(ApiError.class);
    }
  }
}
