package io.tokenrotation.operator.policy;

import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.KubernetesAuthSpec;
import io.tokenrotation.operator.api.LenientlyRead;
import io.tokenrotation.operator.api.ManagementTokenSpec;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.OldTokenSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.SecretKeyRef;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultAuthSpec;
import io.tokenrotation.operator.api.VaultConnectionSpec;
import io.tokenrotation.operator.api.VaultSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a spec the way the CRD schema does, plus what the schema cannot say (the exact minimum interval, URL syntax,
 * the exactly-one-of rules whose CEL an API server may not evaluate), and reports what could not even be read (an
 * unknown enum value, a string where an object belongs: see LenientReader). Pure: no I/O, so an invalid resource
 * costs zero calls to Vault or Dynatrace. An empty string where the schema has a default is a mistake the schema
 * refuses, not a request for the default.
 */
public final class SpecValidator {
  public static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  private static final Pattern DURATION = Pattern.compile(ApiPatterns.DURATION);
  private static final Pattern VAULT_PATH = Pattern.compile(ApiPatterns.VAULT_PATH);
  private static final Pattern FIELD = Pattern.compile(ApiPatterns.FIELD);
  private static final Pattern DNS = Pattern.compile(ApiPatterns.DNS_SUBDOMAIN);
  private static final Pattern SECRET_KEY = Pattern.compile(ApiPatterns.SECRET_KEY);
  private static final Pattern SCOPE = Pattern.compile(ApiPatterns.SCOPE);

  /** Problems found (field path + what is wrong) and, when there are none, the effective spec. */
  public record Result(List<String> problems, Optional<EffectiveSpec> effective) {
    public boolean valid() {
      return problems.isEmpty();
    }

    /** One line for a condition message: the first few problems. */
    public String summary() {
      return SpecValidator.summary(problems);
    }
  }

  private final List<String> problems = new ArrayList<>();

  /** Package-private: {@link CleanupSpecValidator} reuses the field checks on its own list of problems. */
  SpecValidator() {}

  List<String> problems() {
    return problems;
  }

  public static Result validate(TokenRotationSpec spec) {
    SpecValidator v = new SpecValidator();
    EffectiveSpec effective = v.check(spec);
    List<String> problems = withReadProblems(spec, v.problems);
    return new Result(problems, problems.isEmpty() ? Optional.of(effective) : Optional.empty());
  }

  /**
   * What could not be read comes first, named with the supported values where there is a list; checks of such a
   * value (now absent: "spec.vault: required") would only repeat it.
   */
  static List<String> withReadProblems(LenientlyRead spec, List<String> checked) {
    if (spec == null || spec.fullyRead()) {
      return List.copyOf(checked);
    }
    List<String> all = new ArrayList<>(spec.readProblems());
    checked.stream().filter(p -> !spec.concernsUnreadValue(p)).forEach(all::add);
    return List.copyOf(all);
  }

  private EffectiveSpec check(TokenRotationSpec spec) {
    if (spec == null) {
      problems.add("spec: required");
      return null;
    }
    Duration interval = duration("spec.interval", spec.getInterval(), true, MIN_INTERVAL);
    VaultSpec vault = spec.getVault();
    DynatraceSpec dynatrace = spec.getDynatrace();
    if (vault == null) {
      problems.add("spec.vault: required");
    }
    if (dynatrace == null) {
      problems.add("spec.dynatrace: required");
    }
    if (vault == null || dynatrace == null) {
      return null;
    }
    Connection.Vault connection = vaultConnection(vault);
    String path = vaultPath("spec.vault.path", vault.getPath(), 512);
    String field = field("spec.vault.field", vault.getField());

    String environmentUrl = url("spec.dynatrace.environmentUrl", dynatrace.getEnvironmentUrl());
    EffectiveSpec.ManagementToken managementToken = managementToken(dynatrace.getManagementToken());

    NewTokenSpec newToken = spec.getNewToken() == null ? new NewTokenSpec() : spec.getNewToken();
    Optional<String> newName = Optional.ofNullable(newToken.getName()).filter(n -> !n.isBlank());
    if (newName.isPresent() && newName.get().length() > 256) {
      problems.add("spec.newToken.name: longer than 256 characters");
    }
    List<String> scopes = newToken.getScopes() == null ? List.of() : List.copyOf(newToken.getScopes());
    if (scopes.size() > 200) {
      problems.add("spec.newToken.scopes: more than 200 scopes");
    }
    for (String scope : scopes) {
      if (scope == null || !SCOPE.matcher(scope).matches()) {
        problems.add("spec.newToken.scopes: \"" + scope + "\" is not a scope name");
      }
    }
    if (scopes.stream().distinct().count() != scopes.size()) {
      problems.add("spec.newToken.scopes: duplicate scopes");
    }
    Optional<Duration> expiresAfter = Optional.ofNullable(newToken.getExpiresAfter()).filter(e -> !e.isBlank())
        .map(e -> duration("spec.newToken.expiresAfter", e, true, MIN_INTERVAL));

    OldTokenSpec oldToken = spec.getOldToken() == null ? new OldTokenSpec() : spec.getOldToken();
    RetireAction action = oldToken.getAction() == null ? RetireAction.Delete : oldToken.getAction();
    Duration grace = duration("spec.oldToken.gracePeriod",
        defaulted("spec.oldToken.gracePeriod", oldToken.getGracePeriod(), "5m"), true, Duration.ZERO);
    Duration deleteAfter = duration("spec.oldToken.deleteAfter",
        defaulted("spec.oldToken.deleteAfter", oldToken.getDeleteAfter(), "7d"), true, Duration.ZERO);
    if (interval != null && expiresAfter.isPresent() && expiresAfter.get().compareTo(interval) < 0) {
      problems.add("spec.newToken.expiresAfter: shorter than spec.interval, tokens would expire before rotation");
    }
    DeletionPolicy deletionPolicy = spec.getDeletionPolicy() == null ? DeletionPolicy.Retain : spec.getDeletionPolicy();
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    if (!problems.isEmpty()) {
      return null;
    }
    return new EffectiveSpec(interval, connection.address(), connection.namespace(), connection.mount(), path, field,
        connection.kvVersion(), connection.login(), connection.ca(), environmentUrl, managementToken, newName, scopes,
        expiresAfter, action, grace, deleteAfter, suspended, deletionPolicy);
  }

  /** {@code spec.vault} without the secret: address, namespace, mount, kvVersion, auth, caSecretRef. */
  Connection.Vault vaultConnection(VaultConnectionSpec vault) {
    String address = url("spec.vault.address", vault.getAddress());
    String namespace = vault.getNamespace() == null ? "" : vault.getNamespace();
    if (namespace.length() > 256) {
      problems.add("spec.vault.namespace: longer than 256 characters");
    }
    String mount = vaultPath("spec.vault.mount", defaulted("spec.vault.mount", vault.getMount(), "secret"), 256);
    String kvVersion = defaulted("spec.vault.kvVersion", vault.getKvVersion(), "auto");
    if (!kvVersion.matches("auto|1|2")) {
      problems.add("spec.vault.kvVersion: must be auto, 1 or 2");
    }
    EffectiveSpec.VaultLogin login = vaultLogin(vault.getAuth());
    Optional<SecretKeyRef> ca = Optional.ofNullable(vault.getCaSecretRef());
    ca.ifPresent(ref -> secretRef("spec.vault.caSecretRef", ref));
    return new Connection.Vault(address, namespace, mount, kvVersion, login, ca);
  }

  Duration duration(String where, String text, boolean required, Duration min) {
    if (text == null || text.isBlank()) {
      if (required) {
        problems.add(where + ": required");
      }
      return null;
    }
    if (!DURATION.matcher(text).matches()) {
      problems.add(where + ": \"" + abbreviate(text) + "\" is not a duration (examples: 90m, 24h, 7d)");
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

  String url(String where, String text) {
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
      if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
          || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getUserInfo() != null) {
        problems.add(where + ": \"" + abbreviate(text) + "\" is not an http(s) URL with a host and no query");
        return null;
      }
      return text.replaceAll("/+$", "");
    } catch (URISyntaxException e) {
      problems.add(where + ": \"" + abbreviate(text) + "\" is not a valid URL");
      return null;
    }
  }

  String vaultPath(String where, String text, int max) {
    if (text == null || text.isBlank()) {
      problems.add(where + ": required");
      return null;
    }
    if (text.length() > max) {
      problems.add(where + ": longer than " + max + " characters");
    } else if (text.startsWith("/")) {
      problems.add(where + ": must not start with '/'");
    } else if (text.equals("..") || text.contains("../") || text.endsWith("/..") || text.contains("/./")
        || text.startsWith("./")) {
      problems.add(where + ": must not contain '.' or '..' segments");
    } else if (!VAULT_PATH.matcher(text).matches()) {
      problems.add(where + ": \"" + abbreviate(text) + "\" is not a Vault path (letters, digits, _ . @ + = , - and '/'"
          + " between non-empty segments)");
    }
    return text;
  }

  /**
   * A value with a schema default: absent (null) takes the default. An empty string does not: the schema refuses it
   * (minLength or pattern), and a resource must not mean one thing on a validating API server and another where the
   * schema was bypassed. The problem is recorded and the default returned, so the checks after it add nothing.
   */
  String defaulted(String where, String value, String fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isEmpty()) {
      problems.add(where + ": empty; leave it out for the default " + fallback);
      return fallback;
    }
    return value;
  }

  /** The secret field holding a token: {@code token} when absent; an empty name is refused, not defaulted. */
  String field(String where, String given) {
    if (given != null && given.isEmpty()) {
      problems.add(where + ": empty; name the field that holds the token, or leave it out for the default \"token\"");
      return given;
    }
    String text = given == null ? "token" : given;
    if (text.length() > 256) {
      problems.add(where + ": longer than 256 characters");
    } else if (!FIELD.matcher(text).matches()) {
      problems.add(where + ": \"" + abbreviate(text) + "\" is not a field name (letters, digits, _ . -)");
    }
    return text;
  }

  void secretRef(String where, SecretKeyRef ref) {
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

  EffectiveSpec.VaultLogin vaultLogin(VaultAuthSpec auth) {
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
      return new EffectiveSpec.TokenFromSecret(tokenRef);
    }
    if (kubernetes.getRole() == null || kubernetes.getRole().isBlank()) {
      problems.add("spec.vault.auth.kubernetes.role: required");
    }
    String mountPath = vaultPath("spec.vault.auth.kubernetes.mountPath",
        defaulted("spec.vault.auth.kubernetes.mountPath", kubernetes.getMountPath(), "kubernetes"), 256);
    String serviceAccount = defaulted("spec.vault.auth.kubernetes.serviceAccount", kubernetes.getServiceAccount(),
        "default");
    if (!DNS.matcher(serviceAccount).matches() || serviceAccount.length() > 253) {
      problems.add("spec.vault.auth.kubernetes.serviceAccount: \"" + abbreviate(serviceAccount)
          + "\" is not a service account name");
    }
    return new EffectiveSpec.KubernetesLogin(kubernetes.getRole(), mountPath, serviceAccount,
        Optional.ofNullable(kubernetes.getAudience()).filter(a -> !a.isBlank()));
  }

  EffectiveSpec.ManagementToken managementToken(ManagementTokenSpec spec) {
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
      return new EffectiveSpec.ManagementTokenInSecret(spec.getSecretRef());
    }
    String path = vaultPath("spec.dynatrace.managementToken.vault.path", spec.getVault().getPath(), 512);
    String field = field("spec.dynatrace.managementToken.vault.field", spec.getVault().getField());
    return new EffectiveSpec.ManagementTokenInVault(path, field);
  }

  /** One line for a condition message: the first few problems. */
  static String summary(List<String> problems) {
    return problems.size() <= 3 ? String.join("; ", problems)
        : String.join("; ", problems.subList(0, 3)) + "; and " + (problems.size() - 3) + " more";
  }

  /** Echoing user input is fine (it is the spec), but keep oversized values short. */
  static String abbreviate(String text) {
    return text.length() <= 64 ? text : text.substring(0, 61) + "...";
  }
}
