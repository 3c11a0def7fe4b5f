package io.tokenrotation.sim.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Policy matching and the Go renderings, without HTTP. */
class AclTest {
  private static Acl acl(Map<String, Set<String>> rules) {
    return new Acl(List.of(new AclPolicy("p", rules)), false);
  }

  @Test
  void mostSpecificPatternWinsNotTheUnion() {
    Acl acl =
        acl(
            Map.of(
                "secret/data/*", Set.of("read", "update"),
                "secret/data/dynatrace/*", Set.of("read"),
                "secret/data/dynatrace/script1", Set.of("deny")));
    assertThat(acl.allows("secret/data/other", "update")).isTrue();
    assertThat(acl.allows("secret/data/dynatrace/script2", "read")).isTrue();
    assertThat(acl.allows("secret/data/dynatrace/script2", "update"))
        .isFalse(); // the longer glob decides
    assertThat(acl.allows("secret/data/dynatrace/script1", "read")).isFalse();
    assertThat(acl.allows("kv/x", "read")).isFalse();
  }

  @Test
  void capabilitiesOfTheSamePatternAreUnionedAcrossPolicies() {
    Acl acl =
        new Acl(
            List.of(
                new AclPolicy("a", Map.of("secret/data/x", Set.of("read"))),
                new AclPolicy("b", Map.of("secret/data/x", Set.of("update")))),
            false);
    assertThat(acl.allows("secret/data/x", "read")).isTrue();
    assertThat(acl.allows("secret/data/x", "update")).isTrue();
    assertThat(acl.allows("secret/data/x", "delete")).isFalse();
  }

  @Test
  void plusMatchesExactlyOneSegment() {
    assertThat(Acl.matches("secret/data/+/token", "secret/data/team/token")).isTrue();
    assertThat(Acl.matches("secret/data/+/token", "secret/data/a/b/token")).isFalse();
    assertThat(Acl.matches("secret/data/+/*", "secret/data/a/b/token")).isTrue();
    assertThat(Acl.matches("secret/data/+/tok*", "secret/data/a/token")).isTrue();
    assertThat(Acl.matches("secret/data/x", "secret/data/x/")).isFalse();
  }

  @Test
  void goRenderingsOfTimesAndDurations() {
    assertThat(GoFormats.rfc3339Nano(Instant.parse("2024-05-01T10:00:00.120Z")))
        .isEqualTo("2024-05-01T10:00:00.12Z");
    assertThat(GoFormats.rfc3339Nano(Instant.parse("2024-05-01T10:00:00Z")))
        .isEqualTo("2024-05-01T10:00:00Z");
    assertThat(GoFormats.duration(Duration.ofMinutes(90))).isEqualTo("1h30m0s");
    assertThat(GoFormats.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoFormats.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoFormats.parseDuration("3600")).isEqualTo(Duration.ofHours(1));
  }
}
