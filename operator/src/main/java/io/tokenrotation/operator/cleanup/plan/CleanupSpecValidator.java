package io.tokenrotation.operator.cleanup.plan;

import com.google.re2j.PatternSyntaxException;
import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.CleanupAction;
import io.tokenrotation.operator.api.CleanupExclude;
import io.tokenrotation.operator.api.CleanupSelector;
import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.TokenCleanupPolicySpec;
import io.tokenrotation.operator.connect.ConnectionTarget;
import io.tokenrotation.operator.spec.SpecChecks;
import io.tokenrotation.operator.spec.Validation;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a TokenCleanupPolicy spec the way its CRD schema does, plus what the schema cannot say
 * (minimums, RE2 syntax of namePattern, the CEL rules an API server may not evaluate). Pure: an
 * invalid policy costs zero calls. The field checks shared with TokenRotation are {@link
 * SpecChecks}'s.
 */
public final class CleanupSpecValidator {
  /**
   * Shorter than a day is not "unused": Dynatrace's lastUsedDate is no stopwatch, and the stakes
   * are deletions.
   */
  public static final Duration MIN_UNUSED_FOR = Duration.ofDays(1);

  public static final int MAX_PER_RUN_LIMIT = 500;
  private static final Pattern TOKEN_ID = Pattern.compile(ApiPatterns.TOKEN_ID);
  private static final Pattern SCOPE = Pattern.compile(ApiPatterns.SCOPE);

  /** Two dots: prefix, public part and secret part. Such an entry is never echoed back. */
  private static final Pattern FULL_TOKEN = Pattern.compile("^[^.]+\\.[^.]+\\..+$");

  private final SpecChecks checks = new SpecChecks();
  private final List<String> problems = checks.problems();

  private CleanupSpecValidator() {}

  public static Validation<EffectiveCleanupSpec> validate(TokenCleanupPolicySpec spec) {
    CleanupSpecValidator v = new CleanupSpecValidator();
    EffectiveCleanupSpec effective = v.check(spec);
    return Validation.of(spec, v.problems, effective);
  }

  private EffectiveCleanupSpec check(TokenCleanupPolicySpec spec) {
    if (spec == null) {
      problems.add("spec: required");
      return null;
    }
    Duration interval =
        checks.duration("spec.interval", spec.getInterval(), true, SpecChecks.MIN_INTERVAL);
    ConnectionTarget connection = connection(spec);
    EffectiveCleanupSpec.Selector selector = selector(spec.getSelector());
    CleanupExclude exclude = spec.getExclude() == null ? new CleanupExclude() : spec.getExclude();
    Set<String> excludedIds = excludedIds(exclude.getIds());
    Set<String> excludedNames = nonBlank("spec.exclude.names: empty name", exclude.getNames());
    CleanupAction action =
        spec.getAction() == null ? EffectiveCleanupSpec.DEFAULT_ACTION : spec.getAction();
    int maxPerRun =
        spec.getMaxPerRun() == null
            ? EffectiveCleanupSpec.DEFAULT_MAX_PER_RUN
            : spec.getMaxPerRun();
    if (maxPerRun < 1 || maxPerRun > MAX_PER_RUN_LIMIT) {
      problems.add("spec.maxPerRun: " + maxPerRun + " is outside 1.." + MAX_PER_RUN_LIMIT);
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new EffectiveCleanupSpec(
        interval,
        connection,
        selector,
        Set.copyOf(excludedIds),
        Set.copyOf(excludedNames),
        action,
        maxPerRun,
        Boolean.TRUE.equals(spec.getSuspend()));
  }

  /**
   * The Dynatrace environment and management token; spec.vault only matters (and is required) for
   * Vault.
   */
  private ConnectionTarget connection(TokenCleanupPolicySpec spec) {
    DynatraceSpec dynatrace = spec.getDynatrace();
    if (dynatrace == null) {
      problems.add("spec.dynatrace: required");
      return null;
    }
    String environmentUrl =
        checks.url("spec.dynatrace.environmentUrl", dynatrace.getEnvironmentUrl());
    ConnectionTarget.ManagementToken managementToken =
        checks.managementToken(dynatrace.getManagementToken());
    Optional<ConnectionTarget.Vault> vault =
        Optional.ofNullable(spec.getVault()).map(checks::vaultConnection);
    if (managementToken instanceof ConnectionTarget.ManagementTokenInVault && vault.isEmpty()) {
      problems.add(
          "spec.vault: required when spec.dynatrace.managementToken.vault is set (the Vault connection to"
              + " read it from)");
    }
    return new ConnectionTarget(vault, Optional.empty(), environmentUrl, managementToken);
  }

  private EffectiveCleanupSpec.Selector selector(CleanupSelector selector) {
    if (selector == null) {
      problems.add(
          "spec.selector: required (at least one of unusedFor, owners, namePattern, scopesAny)");
      return null;
    }
    Optional<Duration> unusedFor =
        Optional.ofNullable(selector.getUnusedFor())
            .filter(u -> !u.isBlank())
            .map(u -> checks.duration("spec.selector.unusedFor", u, true, MIN_UNUSED_FOR));
    Set<String> owners = nonBlank("spec.selector.owners: empty owner", selector.getOwners());
    Optional<com.google.re2j.Pattern> namePattern =
        Optional.ofNullable(selector.getNamePattern())
            .filter(p -> !p.isEmpty())
            .map(this::namePattern);
    Set<String> scopes = new LinkedHashSet<>();
    for (String scope :
        selector.getScopesAny() == null ? List.<String>of() : selector.getScopesAny()) {
      if (scope == null || !SCOPE.matcher(scope).matches()) {
        problems.add(
            "spec.selector.scopesAny: \""
                + SpecChecks.abbreviate(String.valueOf(scope))
                + "\" is not a scope name");
      } else {
        scopes.add(scope);
      }
    }
    if (unusedFor.isEmpty()
        && owners.isEmpty()
        && namePattern.isEmpty()
        && scopes.isEmpty()
        && problems.stream().noneMatch(p -> p.startsWith("spec.selector."))) {
      problems.add(
          "spec.selector: needs at least one criterion (unusedFor, owners, namePattern or scopesAny);"
              + " an empty selector would match every token");
    }
    return new EffectiveCleanupSpec.Selector(
        unusedFor, Set.copyOf(owners), namePattern, Set.copyOf(scopes));
  }

  /**
   * The entries of an optional list; a blank one is a problem (it would match nothing, or
   * everything).
   */
  private Set<String> nonBlank(String problem, List<String> values) {
    Set<String> result = new LinkedHashSet<>();
    for (String value : values == null ? List.<String>of() : values) {
      if (value == null || value.isBlank()) {
        problems.add(problem);
      } else {
        result.add(value);
      }
    }
    return result;
  }

  private com.google.re2j.Pattern namePattern(String text) {
    if (text.length() > 256) {
      problems.add("spec.selector.namePattern: longer than 256 characters");
      return null;
    }
    try {
      return com.google.re2j.Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      problems.add(
          "spec.selector.namePattern: \""
              + SpecChecks.abbreviate(text)
              + "\" is not an RE2 regular expression ("
              + e.getDescription()
              + ")");
      return null;
    }
  }

  /**
   * Public ids only. Someone may paste a whole token here: say so by position, never by value, so
   * the secret does not travel on into a condition, an event or a log line.
   */
  private Set<String> excludedIds(List<String> ids) {
    Set<String> result = new LinkedHashSet<>();
    List<String> given = ids == null ? List.of() : ids;
    for (int i = 0; i < given.size(); i++) {
      String id = given.get(i);
      if (id != null && FULL_TOKEN.matcher(id).matches()) {
        problems.add(
            "spec.exclude.ids["
                + i
                + "]: looks like a full token with its secret part; give only the"
                + " public id (dt0c01.XXXX) and replace that token, it has been exposed");
      } else if (id == null || !TOKEN_ID.matcher(id).matches()) {
        problems.add("spec.exclude.ids[" + i + "]: not a token id (dt0c01.XXXX)");
      } else {
        result.add(id);
      }
    }
    return result;
  }
}
