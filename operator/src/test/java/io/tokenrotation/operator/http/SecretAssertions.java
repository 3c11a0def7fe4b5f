package io.tokenrotation.operator.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Asserts that no secret leaks through an exception: its message, toString and whole cause chain.
 */
public final class SecretAssertions {
  private SecretAssertions() {}

  public static void assertNoSecrets(Throwable error, String... secrets) {
    List<String> texts = new ArrayList<>();
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      texts.add(String.valueOf(t.getMessage()));
      texts.add(t.toString());
      for (Throwable suppressed : t.getSuppressed()) {
        texts.add(String.valueOf(suppressed.getMessage()));
      }
    }
    for (String secret : secrets) {
      assertThat(secret).as("a secret to look for").isNotBlank();
      for (String text : texts) {
        assertThat(text).as("exception text").doesNotContain(secret);
      }
    }
  }
}
