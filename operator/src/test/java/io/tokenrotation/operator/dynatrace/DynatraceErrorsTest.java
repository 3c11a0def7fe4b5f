package io.tokenrotation.operator.dynatrace;

import static io.tokenrotation.operator.http.SecretAssertions.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link DynatraceErrors}: status to kind, upstream message, and the wait hint from the rate-limit
 * headers when there are any (none since API 1.210: then the backoff decides).
 */
class DynatraceErrorsTest {
  private static final long NOW = 1_750_000_000_000L; // millis

  @Test
  void resetInMicrosecondsMillisecondsOrSeconds() {
    assertThat(DynatraceErrors.waitFrom(Long.toString((NOW + 42_000) * 1000), null, NOW))
        .contains(Duration.ofSeconds(42));
    assertThat(DynatraceErrors.waitFrom(Long.toString(NOW + 42_000), null, NOW))
        .contains(Duration.ofSeconds(42));
    assertThat(DynatraceErrors.waitFrom(Long.toString(NOW / 1000 + 42), null, NOW))
        .contains(Duration.ofSeconds(42));
    assertThat(DynatraceErrors.waitFrom(" " + (NOW + 1_500) + " ", null, NOW))
        .contains(Duration.ofMillis(1_500));
  }

  @Test
  void resetWinsOverRetryAfter() {
    assertThat(DynatraceErrors.waitFrom(Long.toString(NOW + 20_000), "90", NOW))
        .contains(Duration.ofSeconds(20));
  }

  @Test
  void retryAfterSecondsWhenThereIsNoUsableReset() {
    assertThat(DynatraceErrors.waitFrom(null, "17", NOW)).contains(Duration.ofSeconds(17));
    assertThat(DynatraceErrors.waitFrom("", "17", NOW)).contains(Duration.ofSeconds(17));
    assertThat(DynatraceErrors.waitFrom("soon", " 17 ", NOW)).contains(Duration.ofSeconds(17));
  }

  /**
   * Dynatrace sends no rate-limit header since API 1.210: a bare 429 leaves the wait to the
   * backoff.
   */
  @Test
  void noWaitOfItsOwnWithoutHintsOrWithAnHttpDate() {
    assertThat(DynatraceErrors.waitFrom(null, null, NOW)).isEmpty();
    assertThat(DynatraceErrors.waitFrom(" ", " ", NOW)).isEmpty();
    assertThat(DynatraceErrors.waitFrom("soon", null, NOW)).isEmpty();
    assertThat(DynatraceErrors.waitFrom(null, "Wed, 21 Oct 2015 07:28:00 GMT", NOW)).isEmpty();
  }

  @Test
  void clampedToOneSecondAndFiveMinutes() {
    assertThat(DynatraceErrors.waitFrom(Long.toString(NOW - 10_000), null, NOW))
        .contains(Duration.ofSeconds(1));
    assertThat(DynatraceErrors.waitFrom(Long.toString(NOW + 200), null, NOW))
        .contains(Duration.ofSeconds(1));
    assertThat(DynatraceErrors.waitFrom(null, "0", NOW)).contains(Duration.ofSeconds(1));
    assertThat(DynatraceErrors.waitFrom(null, "-5", NOW)).contains(Duration.ofSeconds(1));
    assertThat(DynatraceErrors.waitFrom(Long.toString((NOW + 3_600_000) * 1000), null, NOW))
        .contains(Duration.ofMinutes(5));
    assertThat(DynatraceErrors.waitFrom(null, "86400", NOW)).contains(Duration.ofMinutes(5));
    assertThat(DynatraceErrors.waitFrom(null, "300", NOW)).contains(Duration.ofMinutes(5));
  }

  @Test
  void statusToKind() {
    assertThat(DynatraceErrors.from("get", 400, "", null, null).kind())
        .isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(DynatraceErrors.from("get", 401, "", null, null).kind())
        .isEqualTo(DynatraceException.Kind.UNAUTHORIZED);
    assertThat(DynatraceErrors.from("get", 403, "", null, null).kind())
        .isEqualTo(DynatraceException.Kind.FORBIDDEN);
    assertThat(DynatraceErrors.from("get", 404, null, null, null).kind())
        .isEqualTo(DynatraceException.Kind.NOT_FOUND);
    assertThat(DynatraceErrors.from("get", 409, "", null, null).kind())
        .isEqualTo(DynatraceException.Kind.BAD_REQUEST);
    assertThat(DynatraceErrors.from("get", 500, "", null, null).kind())
        .isEqualTo(DynatraceException.Kind.SERVER_ERROR);
    DynatraceException limited = DynatraceErrors.from("get", 429, "", null, "12");
    assertThat(limited.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(12));
    DynatraceException bare429 =
        DynatraceErrors.from(
            "get", 429, "{\"error\":{\"code\":429,\"message\":\"Too Many Requests\"}}", null, null);
    assertThat(bare429.kind()).isEqualTo(DynatraceException.Kind.RATE_LIMITED);
    assertThat(bare429.transientFailure()).isTrue();
    assertThat(bare429.retryAfter()).as("a bare 429: the backoff decides").isEmpty();
    assertThat(DynatraceErrors.from("get", 503, "", null, null).retryAfter())
        .as("a bare 503 too")
        .isEmpty();
    assertThat(DynatraceErrors.from("get", 503, "", null, "7").retryAfter())
        .contains(Duration.ofSeconds(7));
    assertThat(DynatraceErrors.from("get", 500, "", null, "12").retryAfter()).isEmpty();
    assertThat(DynatraceErrors.from("get", 400, "", null, "12").retryAfter()).isEmpty();
  }

  @Test
  void upstreamMessageIsQuotedRedactedAndShort() {
    String secret = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX." + "C".repeat(64);
    DynatraceException e =
        DynatraceErrors.from(
            "lookup",
            400,
            "{\"error\":{\"code\":400,\"message\":\"Token "
                + secret
                + " is bad "
                + "x".repeat(300)
                + "\"}}",
            null,
            null);

    assertThat(e.getMessage())
        .startsWith("Dynatrace lookup: HTTP 400 (Token dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.*** is bad")
        .endsWith("...)");
    assertThat(e.getMessage().length()).isLessThan(220);
    assertNoSecrets(e, secret);
    assertThat(DynatraceErrors.from("get", 500, "<html>oops</html>", null, null).getMessage())
        .isEqualTo("Dynatrace get: HTTP 500");
    assertThat(
            DynatraceErrors.from("get", 404, "{\"error\":{\"code\":404}}", null, null).getMessage())
        .isEqualTo("Dynatrace get: HTTP 404");
  }
}
