package io.tokenrotation.operator.vault;

import io.tokenrotation.operator.http.AnswerNode;
import io.tokenrotation.operator.secret.SecretValue;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the fields of Vault's success answers the client relies on, against the API (envelope
 * {@code data} / {@code auth}). A missing or mistyped field is a malformed answer, never a default:
 * a KV v2 read without a version would make the next check-and-set write fail forever, a v2 secret
 * read as an empty map would say the token field is missing, and a mount detected as v1 on a guess
 * would write to the wrong path.
 */
final class VaultAnswers {
  private static final long MAX_LEASE_SECONDS = Duration.ofDays(36_500).toSeconds();

  private VaultAnswers() {}

  /**
   * The preflight answer: {@code data.options.version}; absent, null, "" or "1" mean v1 (as the CLI
   * reads it).
   */
  static KvVersion mountVersion(AnswerNode answer) {
    Optional<AnswerNode> options = answer.requireObject().object("data").optional("options");
    if (options.isEmpty()) {
      return KvVersion.V1;
    }
    Optional<AnswerNode> version = options.get().requireObject().optional("version");
    String text =
        version.map(v -> v.json().isIntegralNumber() ? v.json().asText() : v.asText()).orElse("");
    return switch (text) {
      case "", "1" -> KvVersion.V1;
      case "2" -> KvVersion.V2;
      default -> throw answer.fail("data.options.version is neither 1 nor 2");
    };
  }

  /** KV v1 read: {@code data} is the secret's flat map. */
  static AnswerNode dataV1(AnswerNode answer) {
    return answer.requireObject().object("data");
  }

  /** KV v2 read: the map in {@code data.data} and the version in {@code data.metadata.version}. */
  static KvSecret secretV2(AnswerNode answer) {
    AnswerNode data = answer.requireObject().object("data");
    AnswerNode map = data.object("data");
    long version = positive(data.object("metadata"), "version");
    return new KvSecret(OkHttpVaultClient.strings(map.json()), version);
  }

  /** KV v2 write or patch: the new version in {@code data.version}. */
  static long writtenVersion(AnswerNode answer) {
    return positive(answer.requireObject().object("data"), "version");
  }

  /** KV v2 metadata: {@code data.current_version}, 0 for a key without versions. */
  static long currentVersion(AnswerNode answer) {
    AnswerNode data = answer.requireObject().object("data");
    long version = data.number("current_version");
    if (version < 0) {
      throw data.fail("data.current_version is negative");
    }
    return version;
  }

  /**
   * A login: {@code auth.client_token}, and the lease (absent = 0, a token that does not expire).
   */
  static VaultAuth.LoginResult login(AnswerNode answer) {
    AnswerNode auth = answer.requireObject().object("auth");
    SecretValue token = SecretValue.of(auth.nonEmptyText("client_token"));
    long lease = auth.optionalNumber("lease_duration").orElse(0L);
    // Beyond a century the refresh-time arithmetic would overflow: no Vault issues such a lease.
    if (lease < 0 || lease > MAX_LEASE_SECONDS) {
      throw auth.fail("auth.lease_duration is out of range");
    }
    return new VaultAuth.LoginResult(
        token, Duration.ofSeconds(lease), auth.optionalBoolean("renewable").orElse(false));
  }

  private static long positive(AnswerNode parent, String field) {
    long value = parent.number(field);
    if (value < 1) {
      throw parent.fail(parent.name() + "." + field + " is not a positive number");
    }
    return value;
  }
}
