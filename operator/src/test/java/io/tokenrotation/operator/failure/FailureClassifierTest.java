package io.tokenrotation.operator.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.VaultException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailureClassifierTest {
  /** Token-shaped: dt0c01.<24 chars public id>.<64 chars secret>, all A-Z2-7. */
  static final String TOKEN =
      "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX." + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".repeat(2);

  static final String LEAKY = "upstream said: invalid token " + TOKEN;
  static final Duration WAIT = Duration.ofSeconds(42);

  enum Expect {
    STALLED,
    TRANSIENT
  }

  static DynatraceException dt(DynatraceException.Kind kind, int status, Duration retryAfter) {
    return new DynatraceException(kind, status, LEAKY, retryAfter, new IOException(LEAKY));
  }

  static VaultException vault(VaultException.Kind kind, int status, Duration retryAfter) {
    return new VaultException(kind, status, LEAKY, retryAfter, new IOException(LEAKY));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "dynatrace 400",
            dt(DynatraceException.Kind.BAD_REQUEST, 400, null),
            Expect.STALLED,
            Reasons.DYNATRACE_REJECTED,
            Optional.empty()),
        Arguments.of(
            "dynatrace 401",
            dt(DynatraceException.Kind.UNAUTHORIZED, 401, null),
            Expect.STALLED,
            Reasons.DYNATRACE_UNAUTHORIZED,
            Optional.empty()),
        Arguments.of(
            "dynatrace 403",
            dt(DynatraceException.Kind.FORBIDDEN, 403, null),
            Expect.STALLED,
            Reasons.DYNATRACE_FORBIDDEN,
            Optional.empty()),
        Arguments.of(
            "dynatrace 404",
            dt(DynatraceException.Kind.NOT_FOUND, 404, null),
            Expect.STALLED,
            Reasons.DYNATRACE_NOT_FOUND,
            Optional.empty()),
        Arguments.of(
            "dynatrace 429 carries the wait",
            dt(DynatraceException.Kind.RATE_LIMITED, 429, WAIT),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_RATE_LIMITED,
            Optional.of(WAIT)),
        Arguments.of(
            "dynatrace 429 without a wait",
            dt(DynatraceException.Kind.RATE_LIMITED, 429, null),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_RATE_LIMITED,
            Optional.empty()),
        Arguments.of(
            "dynatrace 503 with Retry-After",
            dt(DynatraceException.Kind.SERVER_ERROR, 503, WAIT),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_UNAVAILABLE,
            Optional.of(WAIT)),
        Arguments.of(
            "dynatrace 500",
            dt(DynatraceException.Kind.SERVER_ERROR, 500, null),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "dynatrace timeout",
            dt(DynatraceException.Kind.TIMEOUT, 0, null),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "dynatrace I/O",
            dt(DynatraceException.Kind.IO, 0, null),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "dynatrace malformed answer",
            dt(DynatraceException.Kind.MALFORMED_RESPONSE, 200, WAIT),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_BAD_RESPONSE,
            Optional.empty()),
        Arguments.of(
            "dynatrace malformed lookup",
            DynatraceException.malformed("lookup", 200, "id is missing"),
            Expect.TRANSIENT,
            Reasons.DYNATRACE_BAD_RESPONSE,
            Optional.empty()),
        Arguments.of(
            "vault 400",
            vault(VaultException.Kind.BAD_REQUEST, 400, null),
            Expect.STALLED,
            Reasons.VAULT_REJECTED,
            Optional.empty()),
        Arguments.of(
            "vault 403",
            vault(VaultException.Kind.FORBIDDEN, 403, null),
            Expect.STALLED,
            Reasons.VAULT_PERMISSION_DENIED,
            Optional.empty()),
        Arguments.of(
            "vault 404",
            vault(VaultException.Kind.NOT_FOUND, 404, null),
            Expect.STALLED,
            Reasons.SECRET_NOT_FOUND,
            Optional.empty()),
        Arguments.of(
            "vault login refused (400)",
            vault(VaultException.Kind.AUTH_FAILED, 400, null),
            Expect.STALLED,
            Reasons.VAULT_AUTH_FAILED,
            Optional.empty()),
        Arguments.of(
            "vault login refused (403)",
            vault(VaultException.Kind.AUTH_FAILED, 403, null),
            Expect.STALLED,
            Reasons.VAULT_AUTH_FAILED,
            Optional.empty()),
        Arguments.of(
            "vault login failed with 500",
            vault(VaultException.Kind.AUTH_FAILED, 500, null),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "vault login failed without an answer",
            vault(VaultException.Kind.AUTH_FAILED, 0, null),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "vault CAS conflict",
            vault(VaultException.Kind.CAS_CONFLICT, 400, null),
            Expect.TRANSIENT,
            Reasons.VAULT_CONFLICT,
            Optional.empty()),
        Arguments.of(
            "vault sealed",
            vault(VaultException.Kind.SEALED, 503, WAIT),
            Expect.TRANSIENT,
            Reasons.VAULT_SEALED,
            Optional.of(WAIT)),
        Arguments.of(
            "vault 429",
            vault(VaultException.Kind.RATE_LIMITED, 429, WAIT),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.of(WAIT)),
        Arguments.of(
            "vault 500",
            vault(VaultException.Kind.SERVER_ERROR, 500, null),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "vault timeout",
            vault(VaultException.Kind.TIMEOUT, 0, null),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "vault I/O",
            vault(VaultException.Kind.IO, 0, null),
            Expect.TRANSIENT,
            Reasons.VAULT_UNAVAILABLE,
            Optional.empty()),
        Arguments.of(
            "vault malformed answer",
            vault(VaultException.Kind.MALFORMED_RESPONSE, 200, WAIT),
            Expect.TRANSIENT,
            Reasons.VAULT_BAD_RESPONSE,
            Optional.empty()),
        Arguments.of(
            "vault malformed read",
            VaultException.malformed("read secret/x", 200, "data is missing"),
            Expect.TRANSIENT,
            Reasons.VAULT_BAD_RESPONSE,
            Optional.empty()),
        Arguments.of(
            "kubernetes 500",
            new KubernetesClientException(LEAKY, 500, null),
            Expect.TRANSIENT,
            Reasons.KUBERNETES_API_ERROR,
            Optional.empty()),
        Arguments.of(
            "kubernetes without a status",
            new KubernetesClientException(LEAKY, new IOException(LEAKY)),
            Expect.TRANSIENT,
            Reasons.KUBERNETES_API_ERROR,
            Optional.empty()),
        Arguments.of(
            "anything else",
            new IllegalStateException(LEAKY),
            Expect.TRANSIENT,
            Reasons.INTERNAL_ERROR,
            Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void classifies(
      String name, Throwable error, Expect expect, String reason, Optional<Duration> retryAfter) {
    Failure failure = FailureClassifier.classify(error);

    assertThat(failure.stalled()).isEqualTo(expect == Expect.STALLED);
    assertThat(failure.statusConflict()).isFalse();
    assertThat(failure.reason()).isEqualTo(reason);
    assertThat(failure.retryAfter()).isEqualTo(retryAfter);
    assertThat(failure.message())
        .isNotBlank()
        .doesNotContain(TOKEN)
        .doesNotContain("dt0c01")
        .doesNotContain("upstream said");
  }

  /** Every kind is covered above: a new kind must get a row (and a decision). */
  @Test
  void everyKindIsClassified() {
    for (DynatraceException.Kind kind : DynatraceException.Kind.values()) {
      Failure f = FailureClassifier.classify(dt(kind, 0, null));
      assertThat(f.reason()).as(kind.name()).startsWith("Dynatrace");
      assertThat(f.stalled()).as(kind.name()).isEqualTo(!dt(kind, 0, null).transientFailure());
    }
    for (VaultException.Kind kind : VaultException.Kind.values()) {
      int status = kind == VaultException.Kind.AUTH_FAILED ? 403 : 0;
      Failure f = FailureClassifier.classify(vault(kind, status, null));
      assertThat(f.message()).as(kind.name()).doesNotContain(TOKEN);
      boolean transientKind =
          vault(kind, status, null).transientFailure() || kind == VaultException.Kind.CAS_CONFLICT;
      assertThat(f.stalled()).as(kind.name()).isEqualTo(!transientKind);
    }
  }

  /** Our words: which call, the status, and what to check; never the exception's own text. */
  static Stream<Arguments> malformedMessages() {
    return Stream.of(
        Arguments.of(
            DynatraceException.malformed("lookup", 200, "id is missing"),
            "Dynatrace answered the lookup with something that is not a token (HTTP 200): check that "
                + "spec.dynatrace.environmentUrl points at the environment API, not a proxy or login page"),
        Arguments.of(
            DynatraceException.malformed("get", 200, "scopes is missing"),
            "Dynatrace answered the token read with something that is not a token (HTTP 200): check that "
                + "spec.dynatrace.environmentUrl points at the environment API, not a proxy or login page"),
        Arguments.of(
            DynatraceException.malformed("create", 201, "token is missing"),
            "Dynatrace answered the create with something that is not a new token (HTTP 201): check that "
                + "spec.dynatrace.environmentUrl points at the environment API, not a proxy or login page"),
        Arguments.of(
            DynatraceException.malformed("list", 200, "apiTokens is missing"),
            "Dynatrace answered the list with something that is not a token list (HTTP 200): check that "
                + "spec.dynatrace.environmentUrl points at the environment API, not a proxy or login page"),
        Arguments.of(
            DynatraceException.malformed("delete", 302, "a redirect instead of an answer"),
            "Dynatrace answered the delete with something that is not what the token API sends (HTTP 302): check "
                + "that spec.dynatrace.environmentUrl points at the environment API, not a proxy or login page"),
        Arguments.of(
            VaultException.malformed(
                "read secret/dynatrace/app", 200, "data.metadata.version is missing"),
            "Vault answered the read secret/dynatrace/app with something that is not what its API sends (HTTP 200): "
                + "check that spec.vault.address points at Vault, not a proxy or login page"),
        Arguments.of(
            VaultException.malformed("login auth/kubernetes", 200, "the answer is not JSON"),
            "Vault answered the login auth/kubernetes with something that is not what its API sends (HTTP 200): "
                + "check that spec.vault.address points at Vault, not a proxy or login page"));
  }

  @ParameterizedTest
  @MethodSource("malformedMessages")
  void aMalformedAnswerSaysWhichCallAndWhatToCheck(RuntimeException error, String message) {
    Failure failure = FailureClassifier.classify(error);

    assertThat(failure.message()).isEqualTo(message).doesNotContain("does not match the API");
    assertThat(failure.stalled()).isFalse();
  }

  @Test
  void conflictOnStatusUpdateRetriesAtOnce() {
    Failure failure = FailureClassifier.classify(new KubernetesClientException(LEAKY, 409, null));

    assertThat(failure.statusConflict()).isTrue();
    assertThat(failure.stalled()).isFalse();
    assertThat(failure.reason()).isEqualTo(Reasons.KUBERNETES_API_ERROR);
    assertThat(failure.retryAfter()).isEmpty();
    assertThat(failure.message()).doesNotContain(TOKEN);
  }

  @Test
  void stalledExceptionKeepsItsOwnReasonAndSanitizedMessage() {
    Failure failure =
        FailureClassifier.classify(
            new StalledException(
                Reasons.SECRET_FIELD_MISSING, "field token missing in secret/dynatrace/x"));

    assertThat(failure)
        .isEqualTo(
            new Failure(
                true,
                false,
                Reasons.SECRET_FIELD_MISSING,
                "field token missing in secret/dynatrace/x",
                Optional.empty()));
  }

  @Test
  void unexpectedErrorNamesOnlyItsClass() {
    assertThat(FailureClassifier.classify(new NullPointerException(LEAKY)).message())
        .isEqualTo("unexpected NullPointerException, see the operator log");
  }
}
