package io.tokenrotation.operator.failure;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.tokenrotation.operator.dynatrace.DynatraceException;
import io.tokenrotation.operator.status.Reasons;
import io.tokenrotation.operator.vault.VaultException;
import java.util.Optional;

/**
 * Maps exceptions to a condition reason and a short message of our own words. Upstream error text
 * never reaches the status: it could echo input, and it changes between versions.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  public static Failure classify(Throwable error) {
    if (error instanceof StalledException s) {
      return Failure.stalled(s.reason(), s.getMessage());
    }
    if (error instanceof DynatraceException d) {
      return dynatrace(d);
    }
    if (error instanceof VaultException v) {
      return vault(v);
    }
    if (error instanceof KubernetesClientException k) {
      if (k.getCode() == 409) {
        return new Failure(
            false,
            true,
            Reasons.KUBERNETES_API_ERROR,
            "status update conflict, retrying",
            Optional.empty());
      }
      return Failure.transientFailure(
          Reasons.KUBERNETES_API_ERROR,
          "Kubernetes API request failed" + (k.getCode() > 0 ? " (HTTP " + k.getCode() + ")" : ""),
          Optional.empty());
    }
    return Failure.transientFailure(
        Reasons.INTERNAL_ERROR,
        "unexpected " + error.getClass().getSimpleName() + ", see the operator log",
        Optional.empty());
  }

  private static Failure dynatrace(DynatraceException d) {
    return switch (d.kind()) {
      case UNAUTHORIZED ->
          Failure.stalled(
              Reasons.DYNATRACE_UNAUTHORIZED,
              "Dynatrace rejected the management token (HTTP 401): it is invalid, disabled or expired");
      case FORBIDDEN ->
          Failure.stalled(
              Reasons.DYNATRACE_FORBIDDEN,
              "the management token lacks a required scope (HTTP 403): it needs apiTokens.read and apiTokens.write");
      case NOT_FOUND ->
          Failure.stalled(
              Reasons.DYNATRACE_NOT_FOUND,
              "Dynatrace answered 404: check spec.dynatrace.environmentUrl");
      case BAD_REQUEST ->
          Failure.stalled(
              Reasons.DYNATRACE_REJECTED,
              "Dynatrace rejected the request (HTTP 400): check spec.newToken (scopes, name, expiresAfter)");
      case RATE_LIMITED ->
          Failure.transientFailure(
              Reasons.DYNATRACE_RATE_LIMITED,
              "Dynatrace is throttling requests (HTTP 429), retrying with backoff",
              d.retryAfter());
      case SERVER_ERROR ->
          Failure.transientFailure(
              Reasons.DYNATRACE_UNAVAILABLE,
              "Dynatrace answered HTTP " + d.status() + ", retrying with backoff",
              d.retryAfter());
      case TIMEOUT, IO ->
          Failure.transientFailure(
              Reasons.DYNATRACE_UNAVAILABLE,
              "Dynatrace did not answer in time, retrying with backoff",
              Optional.empty());
      case MALFORMED_RESPONSE ->
          Failure.transientFailure(
              Reasons.DYNATRACE_BAD_RESPONSE, badDynatraceAnswer(d), Optional.empty());
    };
  }

  /**
   * Names the call and what it should have returned; the usual cause is an environment URL that
   * reaches a proxy, a login page or the web UI instead of the API (a wrong path, a missing {@code
   * /e/<env>}).
   */
  private static String badDynatraceAnswer(DynatraceException d) {
    String operation = d.operation().orElse("");
    String[] callAndAnswer =
        switch (operation) {
          case "lookup" -> new String[] {"lookup", "a token"};
          case "get" -> new String[] {"token read", "a token"};
          case "create" -> new String[] {"create", "a new token"};
          case "list" -> new String[] {"list", "a token list"};
          default ->
              new String[] {operation.isEmpty() ? "call" : operation, "what the token API sends"};
        };
    return "Dynatrace answered the "
        + callAndAnswer[0]
        + " with something that is not "
        + callAndAnswer[1]
        + " (HTTP "
        + d.status()
        + "): check that spec.dynatrace.environmentUrl points at the environment API, not a "
        + "proxy or login page";
  }

  private static Failure vault(VaultException v) {
    return switch (v.kind()) {
      case FORBIDDEN ->
          Failure.stalled(
              Reasons.VAULT_PERMISSION_DENIED,
              "Vault denied access (HTTP 403): check the token or role policies for the secret path");
      case AUTH_FAILED ->
          v.status() >= 500 || v.status() == 0
              ? Failure.transientFailure(
                  Reasons.VAULT_UNAVAILABLE,
                  "Vault login failed, retrying with backoff",
                  Optional.empty())
              : Failure.stalled(
                  Reasons.VAULT_AUTH_FAILED,
                  "Vault login refused (HTTP "
                      + v.status()
                      + "): check spec.vault.auth and the Vault role");
      case NOT_FOUND ->
          Failure.stalled(
              Reasons.SECRET_NOT_FOUND, "Vault answered 404: check spec.vault.mount and path");
      case BAD_REQUEST ->
          Failure.stalled(
              Reasons.VAULT_REJECTED,
              "Vault rejected the request (HTTP 400): check spec.vault (mount, kvVersion, path)");
      case CAS_CONFLICT ->
          Failure.transientFailure(
              Reasons.VAULT_CONFLICT,
              "the secret changed in Vault during the rotation; the new token was deleted and the rotation restarts",
              Optional.empty());
      case SEALED ->
          Failure.transientFailure(
              Reasons.VAULT_SEALED, "Vault is sealed, retrying with backoff", v.retryAfter());
      case RATE_LIMITED ->
          Failure.transientFailure(
              Reasons.VAULT_UNAVAILABLE,
              "Vault rate limit reached, retrying with backoff",
              v.retryAfter());
      case SERVER_ERROR ->
          Failure.transientFailure(
              Reasons.VAULT_UNAVAILABLE,
              "Vault answered HTTP " + v.status() + ", retrying with backoff",
              v.retryAfter());
      case TIMEOUT, IO ->
          Failure.transientFailure(
              Reasons.VAULT_UNAVAILABLE,
              "Vault did not answer in time, retrying with backoff",
              Optional.empty());
      case MALFORMED_RESPONSE ->
          Failure.transientFailure(Reasons.VAULT_BAD_RESPONSE, badVaultAnswer(v), Optional.empty());
    };
  }

  /** The call names the operation and path ("read secret/x"): the user's own spec, no secret. */
  private static String badVaultAnswer(VaultException v) {
    return "Vault answered "
        + v.call().map(call -> "the " + call).orElse("a call")
        + " with something that is not "
        + "what its API sends (HTTP "
        + v.status()
        + "): check that spec.vault.address points at Vault, not a proxy "
        + "or login page";
  }
}
