package io.tokenrotation.sim.dynatrace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The Dynatrace access-token format {@code dt0c01.<24 public>.<64 secret>}: the id is the prefix
 * plus the public part and may be shown; the last part is the secret and never leaves this class
 * except in the create answer.
 */
final class TokenFormat {
  static final String PREFIX = "dt0c01";

  /** All official samples use only A-Z and 2-7 (base32-like); generate from that alphabet only. */
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  /**
   * The documented shape; accepts [A-Z0-9] so old or foreign-looking tokens are still recognised.
   */
  static final Pattern TOKEN =
      Pattern.compile("(dt0[a-zA-Z][0-9]{2}\\.[A-Z0-9]{24})\\.[A-Z0-9]{64}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenFormat() {}

  /** A fresh full token (secret included). */
  static String newToken() {
    return PREFIX + "." + random(24) + "." + random(64);
  }

  private static String random(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(chars);
  }

  static boolean looksLikeToken(String value) {
    return value != null && TOKEN.matcher(value).matches();
  }

  /** The id part of a full token; only call on values for which {@link #looksLikeToken} is true. */
  static String idOf(String token) {
    return token.substring(0, token.lastIndexOf('.'));
  }

  /** What the store keeps instead of the secret: enough to recognise it, useless to replay it. */
  static String hash(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Masks the secret part of every token in {@code text} (for journals): {@code dt0c01.ID.***}. */
  static String maskSecrets(String text) {
    return text == null
        ? null
        : Pattern.compile("(dt0[a-zA-Z][0-9]{2}\\.[A-Za-z0-9]{24})\\.[A-Za-z0-9]{64}")
            .matcher(text)
            .replaceAll("$1.***");
  }
}
