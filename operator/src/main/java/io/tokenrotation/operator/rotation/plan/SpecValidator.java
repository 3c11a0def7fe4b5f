package io.tokenrotation.operator.rotation.plan;

import io.tokenrotation.operator.api.ApiPatterns;
import io.tokenrotation.operator.api.DeletionPolicy;
import io.tokenrotation.operator.api.DynatraceSpec;
import io.tokenrotation.operator.api.NewTokenSpec;
import io.tokenrotation.operator.api.OldTokenSpec;
import io.tokenrotation.operator.api.RetireAction;
import io.tokenrotation.operator.api.RolloutRestartTarget;
import io.tokenrotation.operator.api.ScheduleSpec;
import io.tokenrotation.operator.api.SecretTarget;
import io.tokenrotation.operator.api.TokenRotationSpec;
import io.tokenrotation.operator.api.VaultSpec;
import io.tokenrotation.operator.connect.ConnectionTarget;
import io.tokenrotation.operator.spec.SpecChecks;
import io.tokenrotation.operator.spec.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a TokenRotation spec the way the CRD schema does, plus what the schema cannot say (the
 * exact minimum interval, URL syntax, the exactly-one-of rules whose CEL an API server may not
 * evaluate), and reports what could not even be read (an unknown enum value, a string where an
 * object belongs: see LenientReader). The checks both kinds share (durations, URLs, Vault paths,
 * connections) are {@link SpecChecks}. Pure: no I/O, so an invalid resource costs zero calls to
 * Vault or Dynatrace. An empty string where the schema has a default is a mistake the schema
 * refuses, not a request for the default.
 */
public final class SpecValidator {
  public static final Duration MIN_INTERVAL = SpecChecks.MIN_INTERVAL;
  private static final Pattern SCOPE = Pattern.compile(ApiPatterns.SCOPE);

  private final SpecChecks checks = new SpecChecks();
  private final List<String> problems = checks.problems();

  private SpecValidator() {}

  public static Validation<EffectiveSpec> validate(TokenRotationSpec spec) {
    SpecValidator v = new SpecValidator();
    EffectiveSpec effective = v.check(spec);
    return Validation.of(spec, v.problems, effective);
  }

  private EffectiveSpec check(TokenRotationSpec spec) {
    if (spec == null) {
      problems.add("spec: required");
      return null;
    }
    ScheduleSpec scheduleSpec = spec.getSchedule();
    Duration interval =
        scheduleSpec != null && (spec.getInterval() == null || spec.getInterval().isBlank())
            ? null
            : checks.duration("spec.interval", spec.getInterval(), true, SpecChecks.MIN_INTERVAL);
    Optional<Schedule> schedule = Optional.empty();
    if (scheduleSpec != null) {
      Duration window =
          scheduleSpec.getWindow() == null || scheduleSpec.getWindow().isBlank()
              ? null
              : checks.duration(
                  "spec.schedule.window", scheduleSpec.getWindow(), true, Duration.ZERO);
      Schedule.Parsed parsed =
          Schedule.parse(
              scheduleSpec.getCron() == null ? "" : scheduleSpec.getCron(),
              scheduleSpec.getTimeZone() == null ? "UTC" : scheduleSpec.getTimeZone(),
              window);
      parsed.problem().ifPresent(problems::add);
      schedule = parsed.schedule();
    }
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
    ConnectionTarget.Vault connection = checks.vaultConnection(vault);
    String path = checks.vaultPath("spec.vault.path", vault.getPath(), 512);
    String field = checks.field("spec.vault.field", vault.getField());

    String environmentUrl =
        checks.url("spec.dynatrace.environmentUrl", dynatrace.getEnvironmentUrl());
    ConnectionTarget.ManagementToken managementToken =
        checks.managementToken(dynatrace.getManagementToken());

    NewTokenSpec newToken = spec.getNewToken() == null ? new NewTokenSpec() : spec.getNewToken();
    Optional<String> newName = Optional.ofNullable(newToken.getName()).filter(n -> !n.isBlank());
    if (newName.isPresent() && newName.get().length() > 256) {
      problems.add("spec.newToken.name: longer than 256 characters");
    }
    List<String> scopes =
        newToken.getScopes() == null ? List.of() : List.copyOf(newToken.getScopes());
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
    Optional<Duration> expiresAfter =
        Optional.ofNullable(newToken.getExpiresAfter())
            .filter(e -> !e.isBlank())
            .map(
                e ->
                    checks.duration(
                        "spec.newToken.expiresAfter", e, true, SpecChecks.MIN_INTERVAL));

    OldTokenSpec oldToken = spec.getOldToken() == null ? new OldTokenSpec() : spec.getOldToken();
    // DisableThenDelete since issue 17 (Dynatrace's recipe); a resource that set an action keeps it
    RetireAction action =
        oldToken.getAction() == null ? RetireAction.DisableThenDelete : oldToken.getAction();
    Duration grace =
        checks.duration(
            "spec.oldToken.gracePeriod",
            checks.defaulted("spec.oldToken.gracePeriod", oldToken.getGracePeriod(), "5m"),
            true,
            Duration.ZERO);
    Duration deleteAfter =
        checks.duration(
            "spec.oldToken.deleteAfter",
            checks.defaulted("spec.oldToken.deleteAfter", oldToken.getDeleteAfter(), "7d"),
            true,
            Duration.ZERO);
    if (schedule.isPresent()
        && interval == null
        && expiresAfter.isPresent()
        && expiresAfter.get().compareTo(schedule.get().period()) < 0) {
      problems.add(
          "spec.newToken.expiresAfter: shorter than the time between scheduled runs, tokens would"
              + " expire before rotation");
    }
    if (interval != null
        && expiresAfter.isPresent()
        && expiresAfter.get().compareTo(interval) < 0) {
      problems.add(
          "spec.newToken.expiresAfter: shorter than spec.interval, tokens would expire before rotation");
    }
    DeletionPolicy deletionPolicy =
        spec.getDeletionPolicy() == null ? DeletionPolicy.Retain : spec.getDeletionPolicy();
    boolean suspended = Boolean.TRUE.equals(spec.getSuspend());
    List<SecretTarget> secretTargets =
        spec.getSecretTargets() == null ? List.of() : List.copyOf(spec.getSecretTargets());
    List<RolloutRestartTarget> restartTargets =
        spec.getRolloutRestartTargets() == null
            ? List.of()
            : List.copyOf(spec.getRolloutRestartTargets());
    problems.addAll(ConsumerChecks.problems(secretTargets, restartTargets));
    Duration debounce =
        checks.duration(
            "spec.rolloutRestartDebounce",
            checks.defaulted(
                "spec.rolloutRestartDebounce", spec.getRolloutRestartDebounce(), "30s"),
            true,
            Duration.ZERO);
    if (debounce != null && debounce.compareTo(Duration.ofHours(1)) > 0) {
      problems.add("spec.rolloutRestartDebounce: longer than 1h");
    }
    if (!problems.isEmpty()) {
      return null;
    }
    return new EffectiveSpec(
        interval,
        schedule,
        connection.address(),
        connection.namespace(),
        connection.mount(),
        path,
        field,
        connection.kvVersion(),
        connection.login(),
        connection.ca(),
        environmentUrl,
        managementToken,
        newName,
        scopes,
        expiresAfter,
        action,
        grace,
        deleteAfter,
        suspended,
        deletionPolicy,
        secretTargets,
        restartTargets,
        debounce);
  }
}
