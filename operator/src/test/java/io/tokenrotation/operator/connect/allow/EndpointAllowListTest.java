package io.tokenrotation.operator.connect.allow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointAllowListTest {
  private static final EndpointAllowList LIST =
      EndpointAllowList.parse(
          "ALLOWED_DYNATRACE_URLS",
          "https://*.live.dynatrace.com, https://vault.example.com:8200 http://127.0.0.1:8380,"
              + " https://managed.example.com/e/abc");

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "an environment of the wildcard host is allowed",
            "https://abc12345.live.dynatrace.com",
            true),
        Arguments.of(
            "a trailing slash changes nothing", "https://abc12345.live.dynatrace.com/", true),
        Arguments.of(
            "scheme and host case do not matter", "HTTPS://ABC12345.Live.Dynatrace.com", true),
        Arguments.of(
            "the default port written out is the same origin",
            "https://abc.live.dynatrace.com:443",
            true),
        Arguments.of(
            "the wildcard stands for one label, not two", "https://a.b.live.dynatrace.com", false),
        Arguments.of(
            "the wildcard does not allow the bare domain", "https://live.dynatrace.com", false),
        Arguments.of(
            "an allowed name as a subdomain of another is not allowed",
            "https://abc.live.dynatrace.com.evil.example",
            false),
        Arguments.of(
            "plain http to an https entry is a downgrade", "http://abc.live.dynatrace.com", false),
        Arguments.of(
            "another port on an allowed host is another endpoint",
            "https://abc.live.dynatrace.com:8443",
            false),
        Arguments.of("an exact entry with its port", "https://vault.example.com:8200", true),
        Arguments.of("an exact entry without its port", "https://vault.example.com", false),
        Arguments.of("http where the admin wrote http", "http://127.0.0.1:8380", true),
        Arguments.of("localhost is not 127.0.0.1", "http://localhost:8380", false),
        Arguments.of(
            "user info pointing elsewhere is refused",
            "https://abc.live.dynatrace.com@evil.example",
            false),
        Arguments.of(
            "user info that looks allowed is refused too",
            "https://evil.example@abc.live.dynatrace.com",
            false),
        Arguments.of(
            "a backslash trick is refused", "https://evil.example\\@abc.live.dynatrace.com", false),
        Arguments.of(
            "a fragment trick is refused", "https://evil.example#@abc.live.dynatrace.com", false),
        Arguments.of(
            "a trailing dot is not the canonical host", "https://abc.live.dynatrace.com.", false),
        Arguments.of(
            "a percent-encoded host is refused", "https://abc%2elive.dynatrace.com", false),
        Arguments.of(
            "non-ASCII digits are not 127.0.0.1", "http://\uff11\uff12\uff17.0.0.1:8380", false),
        Arguments.of("a path entry allows its path", "https://managed.example.com/e/abc", true),
        Arguments.of(
            "a path entry allows what is below it", "https://managed.example.com/e/abc/api", true),
        Arguments.of(
            "a path entry does not allow a sibling with the same prefix",
            "https://managed.example.com/e/abcd",
            false),
        Arguments.of(
            "a path entry does not allow another environment",
            "https://managed.example.com/e/other",
            false),
        Arguments.of(
            "dot segments cannot climb out of an allowed path",
            "https://managed.example.com/e/abc/../other",
            false),
        Arguments.of("ftp is not an endpoint", "ftp://abc.live.dynatrace.com", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesTheHostTheClientWouldReach(String sentence, String url, boolean allowed) {
    Optional<String> refusal = LIST.refusal(url);
    assertThat(refusal.isEmpty())
        .as(sentence + ": " + refusal.orElse("allowed"))
        .isEqualTo(allowed);
  }

  @Test
  void anEmptyListAllowsNothingAndSaysWhere() {
    EndpointAllowList none = EndpointAllowList.parse("ALLOWED_VAULT_ADDRESSES", "");
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.refusal("https://vault.example.com"))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("https://vault.example.com:443", "ALLOWED_VAULT_ADDRESSES", "none"));
  }

  @Test
  void aStarAloneAllowsAnyWellFormedEndpointButNotATrick() {
    EndpointAllowList any = EndpointAllowList.parse("ALLOWED_VAULT_ADDRESSES", "*");
    assertThat(any.allowsAny()).isTrue();
    assertThat(any.refusal("https://anything.example")).isEmpty();
    assertThat(any.refusal("https://a@b.example")).isPresent();
  }

  @Test
  void badEntriesStopTheOperatorWithTheVariableNamed() {
    assertThatThrownBy(
            () -> EndpointAllowList.parse("ALLOWED_VAULT_ADDRESSES", "vault.example.com"))
        .hasMessageContaining("ALLOWED_VAULT_ADDRESSES")
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> EndpointAllowList.parse("ALLOWED_DYNATRACE_URLS", "https://*.com"))
        .hasMessageContaining("wildcard");
    assertThatThrownBy(
            () -> EndpointAllowList.parse("ALLOWED_DYNATRACE_URLS", "https://a.*.example.com"))
        .hasMessageContaining("ALLOWED_DYNATRACE_URLS");
    assertThatThrownBy(
            () -> EndpointAllowList.parse("ALLOWED_DYNATRACE_URLS", "*, https://x.example"))
        .hasMessageContaining("nothing else");
  }

  @Test
  void messagesShowAtMostFiveEntries() {
    EndpointAllowList many =
        EndpointAllowList.parse(
            "ALLOWED_VAULT_ADDRESSES",
            "https://a.example,https://b.example,https://c.example,https://d.example,https://e.example,https://f.example");
    assertThat(many.describe()).endsWith("and 1 more").doesNotContain("f.example");
  }
}
