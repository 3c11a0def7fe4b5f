package io.tokenrotation.operator.dynatrace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RefusedScopes}: which sent scopes a 400 envelope refuses, from its structure; only sent
 * names come out.
 */
class RefusedScopesTest {
  private static final List<String> SENT =
      List.of("metrics.read", "analyzers.read", "analyzers.write");

  private static List<String> refused(String body) {
    return RefusedScopes.of(ErrorEnvelope.parse(body).orElseThrow(), SENT);
  }

  private static String violations(String... pathAndMessage) {
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < pathAndMessage.length; i += 2) {
      list.append(list.isEmpty() ? "" : ",")
          .append("{\"path\":\"")
          .append(pathAndMessage[i])
          .append("\",\"message\":\"")
          .append(pathAndMessage[i + 1])
          .append("\",\"parameterLocation\":\"PAYLOAD_BODY\",\"location\":null}");
    }
    return "{\"error\":{\"code\":400,\"message\":\"Constraints violated.\",\"constraintViolations\":["
        + list
        + "]}}";
  }

  @Test
  void anIndexedPathNamesTheScopeSentAtThatIndex() {
    assertThat(refused(violations("scopes[1]", "whatever the text says")))
        .containsExactly("analyzers.read");
    assertThat(refused(violations("scopes[2]", "x", "scopes[1]", "y")))
        .containsExactly("analyzers.write", "analyzers.read");
  }

  @Test
  void anIndexBeyondTheRequestOrAnotherFieldNamesNothing() {
    assertThat(refused(violations("scopes[7]", "analyzers.read")))
        .as("the message is not read for an index")
        .isEmpty();
    assertThat(refused(violations("name", "analyzers.read is not a name"))).isEmpty();
  }

  @Test
  void aViolationOnScopesNamesTheSentScopesItsMessageMentionsAsWholeNames() {
    assertThat(refused(violations("scopes", "Unknown scope analyzers.write.")))
        .containsExactly("analyzers.write");
    assertThat(
            refused(
                violations("scopes", "'analyzers.read' and \\\"analyzers.write\\\" were removed")))
        .containsExactly("analyzers.read", "analyzers.write");
    assertThat(
            refused(
                violations(
                    "scopes",
                    "metrics.readAll and xmetrics.read and metrics.read.all are unknown")))
        .isEmpty();
  }

  @Test
  void anEnvelopeWithoutViolationsIsReadForMentionsToo() {
    assertThat(
            refused(
                "{\"error\":{\"code\":400,\"message\":\"Scope analyzers.read is not supported\"}}"))
        .containsExactly("analyzers.read");
    assertThat(
            refused("{\"error\":{\"code\":400,\"message\":\"Could not map JSON at 'scopes[1]'\"}}"))
        .as("free text is not parsed for an index: UNCERTAIN text stays a plain refusal")
        .isEmpty();
  }

  @Test
  void whatIsNotAnEnvelopeIsNotParsed() {
    assertThat(ErrorEnvelope.parse("<html>400</html>")).isEmpty();
    assertThat(ErrorEnvelope.parse("")).isEmpty();
    assertThat(ErrorEnvelope.parse("{\"errors\":[]}")).isEmpty();
  }
}
