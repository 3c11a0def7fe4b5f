package io.tokenrotation.operator.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A secret string (a Dynatrace token, a Vault token, a JWT). {@link #toString()} never shows it, so
 * a secret that slips into a log line, an exception message or a status field prints as {@code
 * ***}. Only {@link #reveal()} gives the value, and only HTTP clients call it, to put it on the
 * wire.
 */
public final class SecretValue {
  private final String value;

  private SecretValue(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static SecretValue of(String value) {
    return new SecretValue(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isBlank() {
    return value.isBlank();
  }

  /** A stable, non-reversible fingerprint, for cache keys. */
  public String fingerprint() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretValue s
        && MessageDigest.isEqual(
            s.value.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***";
  }
}
