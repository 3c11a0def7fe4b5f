package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.secret.SecretValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys a secret target receives: its {@code key} holds the token, each {@code template} entry
 * is text in which {@code {{ .token }}} and {@code {{ .tokenId }}} are replaced. Deliberately not a
 * template language: two placeholders, nothing to evaluate, so a template can never reach anything
 * but the token it is given.
 */
public final class SecretTemplates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*\\.(\\w+)\\s*}}");
  private static final List<String> NAMES = List.of("token", "tokenId");

  private SecretTemplates() {}

  /** The data the target's Secret must hold for {@code token} (plain text, not base64). */
  public static Map<String, SecretValue> render(
      SecretTarget target, SecretValue token, String tokenId) {
    Map<String, SecretValue> data = new TreeMap<>();
    if (target.getTemplate() != null) {
      target
          .getTemplate()
          .forEach(
              (key, text) ->
                  data.put(
                      key,
                      SecretValue.of(
                          PLACEHOLDER
                              .matcher(text == null ? "" : text)
                              .replaceAll(
                                  m ->
                                      Matcher.quoteReplacement(
                                          m.group(1).equals("token")
                                              ? token.reveal()
                                              : tokenId)))));
    }
    data.put(target.getKey(), token);
    return data;
  }

  /** What is wrong with one template value, if anything. */
  static Optional<String> problem(String text) {
    if (text == null) {
      return Optional.of("empty");
    }
    Matcher m = PLACEHOLDER.matcher(text);
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      if (!NAMES.contains(m.group(1))) {
        unknown.add(m.group(1));
      }
    }
    if (!unknown.isEmpty()) {
      return Optional.of(
          "unknown placeholder ." + unknown.get(0) + " (only {{ .token }} and {{ .tokenId }})");
    }
    if (m.replaceAll("").contains("{{")) {
      return Optional.of("\"{{\" that is not {{ .token }} or {{ .tokenId }}");
    }
    return Optional.empty();
  }

  /** A short digest of the targets (order, names, keys, labels, annotations, templates). */
  static String hash(List<SecretTarget> targets) {
    StringBuilder text = new StringBuilder();
    for (SecretTarget t : targets) {
      text.append(t.getName())
          .append('\0')
          .append(t.getKey())
          .append('\0')
          .append(sorted(t.getLabels()))
          .append('\0')
          .append(sorted(t.getAnnotations()))
          .append('\0')
          .append(sorted(t.getTemplate()))
          .append('\n');
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sorted(Map<String, String> map) {
    return map == null ? "" : new TreeMap<>(map).toString();
  }
}
