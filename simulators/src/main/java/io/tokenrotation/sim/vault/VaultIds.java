package io.tokenrotation.sim.vault;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random identifiers shaped like Vault's. Tokens come from a SecureRandom because tests treat them
 * as secrets.
 */
final class VaultIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private VaultIds() {}

  /** A service token as Vault >= 1.10 issues them: "hvs." plus 24 base62 characters. */
  static String serviceToken() {
    return "hvs." + base62(24);
  }

  /** Token accessors are 24 base62 characters; they identify a token without granting anything. */
  static String accessor() {
    return base62(24);
  }

  static String uuid() {
    return UUID.randomUUID().toString();
  }

  static String base62(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = BASE62[RANDOM.nextInt(BASE62.length)];
    }
    return new String(out);
  }
}
