package io.tokenrotation.operator.spec;

import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.Durations;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.LenientlyRead;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultConnectionSpec;
import io.tokenrotation.operator.connect.ConnectionTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The field checks both kinds of resource share (durations with the 1-minute minimum, URLs, Vault
 * paths and fields, Secret references, the Vault connection and login, the management token's
 * source), collecting problems as "field path: what is wrong" on one list. Pure. {@code
 * rotation.plan.SpecValidator} and {@code cleanup.plan.CleanupSpecValidator} each own one instance
 * per validation.
 */
public final class SpecChecks {
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  private static final Pattern DURATION = Pattern.compile(ApiPatterns.DURATION);
  private static final Pattern VAULT_PATH = Pattern.compile(ApiPatterns.VAULT_PATH);
  private static final Pattern FIELD = Pattern.compile(ApiPatterns.FIELD);
  private static final Pattern DNS = Pattern.compile(ApiPatterns.DNS_SUBDOMAIN);
  private static final Pattern SECRET_KEY = Pattern.compile(ApiPatterns.SECRET_KEY);
  private static final Pattern SCOPE = Pattern.compile(ApiPatterns.SCOPE);

  private final List<String> problems = new ArrayList<>();

  /**
   * The problems found so far; the validators add their own kind-specific ones to the same list.
   */
  public List<String> problems() {
    return problems;
  }

  /**
   * What could not be read comes first, named with the supported values where there is a list;
   * checks of such a value (now absent: "spec.vault: required") would only repeat it.
   */
  public static List<String> withReadProblems(LenientlyRead spec, List<String> checked) {
    if (spec == null || spec.fullyRead()) {
      return List.copyOf(checked);
    }
    List<String> all = new ArrayList<>(spec.readProblems());
    checked.stream().filter(p -> !spec.concernsUnreadValue(p)).forEach(all::add);
    return List.copyOf(all);
  }

  /**
   * {@code spec.vault} without the secret: address, namespace, mount, kvVersion, auth, caSecretRef.
   */
  public ConnectionTarget.Vault vaultConnection(VaultConnectionSpec vault) {
    String address = url("spec.vault.address", vault.getAddress());
    String namespace = vault.getNamespace() == null ? "" : vault.getNamespace();
    if (namespace.length() > 256) {
      problems.add("spec.vault.namespace: longer than 256 characters");
    }
    String mount =
        vaultPath(
            "spec.vault.mount", defaulted("spec.vault.mount", vault.getMount(), "secret"), 256);
    String kvVersion = defaulted("spec.vault.kvVersion", vault.getKvVersion(), "auto");
    if (!kvVersion.matches("auto|1|2")) {
      problems.add("spec.vault.kvVersion: must be auto, 1 or 2");
    }
    ConnectionTarget.VaultLogin login = vaultLogin(vault.getAuth());
    Optional<SecretKeyRef> ca = Optional.ofNullable(vault.getCaSecretRef());
    ca.ifPresent(ref -> secretRef("spec.vault.caSecretRef", ref));
    return new ConnectionTarget.Vault(address, namespace, mount, kvVersion, login, ca);
  }

  public Duration duration(String where, String text, boolean required, Duration min) {
    if (text == null || text.isBlank()) {
      if (required) {
        problems.add(where + ": required");
      }
      return null;
    }
    if (!DURATION.matcher(text).matches()) {
      problems.add(
          where + ": \"" + abbreviate(text) + "\" is not a duration (examples: 90m, 24h, 7d)");
      return null;
    }
    try {
      Duration d = Durations.parse(text);
      if (d.compareTo(min) < 0) {
        problems.add(where + ": " + text + " is shorter than the minimum " + Durations.format(min));
        return null;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add(where + ": " + e.getMessage());
      return null;
    }
  }

  public String url(String where, String text) {
    if (text == null || text.isBlank()) {
      problems.add(where + ": required");
      return null;
    }
    if (text.length() > 2048) {
      problems.add(where + ": longer than 2048 characters");
      return null;
    }
    try {
      URI uri = new URI(text);
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || uri.getUserInfo() != null) {
        problems.add(
            where
                + ": \""
                + abbreviate(text)
                + "\" is not an http(s) URL with a host and no query");
        return null;
      }
      return text.replaceAll("/+$", "");
    } catch (URISyntaxException e) {
      problems.add(where + ": \"" + abbreviate(text) + "\" is not a valid URL");
      return null;
    }
  }

  public String vaultPath(String where, String text, int max) {
    if (text == null || text.isBlank()) {
      problems.add(where + ": required");
      return null;
    }
    if (text.length() > max) {
      problems.add(where + ": longer than " + max + " characters");
    } else if (text.startsWith("/")) {
      problems.add(where + ": must not start with '/'");
    } else if (text.equals("..")
        || text.contains("../")
        || text.endsWith("/..")
        || text.contains("/./")
        || text.startsWith("./")) {
      problems.add(where + ": must not contain '.' or '..' segments");
    } else if (!VAULT_PATH.matcher(text).matches()) {
      problems.add(
          where
              + ": \""
              + abbreviate(text)
              + "\" is not a Vault path (letters, digits, _ . @ + = , - and '/'"
              + " between non-empty segments)");
    }
    return text;
  }

  /**
   * A value with a schema default: absent (null) takes the default. An empty string does not: the
   * schema refuses it (minLength or pattern), and a resource must not mean one thing on a
   * validating API server and another where the schema was bypassed. The problem is recorded and
   * the default returned, so the checks after it add nothing.
   */
  public String defaulted(String where, String value, String fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isEmpty()) {
      problems.add(where + ": empty; leave it out for the default " + fallback);
      return fallback;
    }
    return value;
  }

  /**
   * The secret field holding a token: {@code token} when absent; an empty name is refused, not
   * defaulted.
   */
  public String field(String where, String given) {
    if (given != null && given.isEmpty()) {
      problems.add(
          where
              + ": empty; name the field that holds the token, or leave it out for the default \"token\"");
      return given;
    }
    String text = given == null ? "token" : given;
    if (text.length() > 256) {
      problems.add(where + ": longer than 256 characters");
    } else if (!FIELD.matcher(text).matches()) {
      problems.add(
          where + ": \"" + abbreviate(text) + "\" is not a field name (letters, digits, _ . -)");
    }
    return text;
  }

  public void secretRef(String where, SecretKeyRef ref) {
    if (ref.getName() == null || ref.getName().isBlank()) {
      problems.add(where + ".name: required");
    } else if (ref.getName().length() > 253 || !DNS.matcher(ref.getName()).matches()) {
      problems.add(where + ".name: \"" + abbreviate(ref.getName()) + "\" is not a Secret name");
    }
    if (ref.getKey() == null || ref.getKey().isBlank()) {
      problems.add(where + ".key: required");
    } else if (ref.getKey().length() > 253 || !SECRET_KEY.matcher(ref.getKey()).matches()) {
      problems.add(where + ".key: \"" + abbreviate(ref.getKey()) + "\" is not a Secret key");
    }
  }

  public ConnectionTarget.VaultLogin vaultLogin(VaultAuthSpec auth) {
    if (auth == null) {
      problems.add("spec.vault.auth: required (exactly one of kubernetes or tokenSecretRef)");
      return null;
    }
    KubernetesAuthSpec kubernetes = auth.getKubernetes();
    SecretKeyRef tokenRef = auth.getTokenSecretRef();
    if ((kubernetes == null) == (tokenRef == null)) {
      problems.add("spec.vault.auth: exactly one of kubernetes or tokenSecretRef must be set");
      return null;
    }
    if (tokenRef != null) {
      secretRef("spec.vault.auth.tokenSecretRef", tokenRef);
      return new ConnectionTarget.TokenFromSecret(tokenRef);
    }
    if (kubernetes.getRole() == null || kubernetes.getRole().isBlank()) {
      problems.add("spec.vault.auth.kubernetes.role: required");
    }
    String mountPath =
        vaultPath(
            "spec.vault.auth.kubernetes.mountPath",
            defaulted(
                "spec.vault.auth.kubernetes.mountPath", kubernetes.getMountPath(), "kubernetes"),
            256);
    String serviceAccount =
        defaulted(
            "spec.vault.auth.kubernetes.serviceAccount", kubernetes.getServiceAccount(), "default");
    if (!DNS.matcher(serviceAccount).matches() || serviceAccount.length() > 253) {
      problems.add(
          "spec.vault.auth.kubernetes.serviceAccount: \""
              + abbreviate(serviceAccount)
              + "\" is not a service account name");
    }
    return new ConnectionTarget.KubernetesLogin(
        kubernetes.getRole(),
        mountPath,
        serviceAccount,
        Optional.ofNullable(kubernetes.getAudience()).filter(a -> !a.isBlank()));
  }

  public ConnectionTarget.ManagementToken managementToken(ManagementTokenSpec spec) {
    if (spec == null) {
      problems.add("spec.dynatrace.managementToken: required (exactly one of vault or secretRef)");
      return null;
    }
    if ((spec.getVault() == null) == (spec.getSecretRef() == null)) {
      problems.add("spec.dynatrace.managementToken: exactly one of vault or secretRef must be set");
      return null;
    }
    if (spec.getSecretRef() != null) {
      secretRef("spec.dynatrace.managementToken.secretRef", spec.getSecretRef());
      return new ConnectionTarget.ManagementTokenInSecret(spec.getSecretRef());
    }
    String path =
        vaultPath("spec.dynatrace.managementToken.vault.path", spec.getVault().getPath(), 512);
    String field = field("spec.dynatrace.managementToken.vault.field", spec.getVault().getField());
    return new ConnectionTarget.ManagementTokenInVault(path, field);
  }

  /** One line for a condition message: the first few problems. */
  public static String summary(List<String> problems) {
    return problems.size() <= 3
        ? String.join("; ", problems)
        : String.join("; ", problems.subList(0, 3)) + "; and " + (problems.size() - 3) + " more";
  }

  /** Echoing user input is fine (it is the spec), but keep oversized values short. */
  public static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
