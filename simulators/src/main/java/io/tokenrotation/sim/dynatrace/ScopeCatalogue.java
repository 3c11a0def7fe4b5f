package io.tokenrotation.sim.dynatrace;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scope names the simulated environment knows. Dynatrace adds scopes without a version bump, so
 * the set is configurable ({@link #withAdditional}); the default is the ApiToken enum of the
 * current Managed docs (contract section 6). Dynatrace also removes scopes from the token API as
 * breaking changes (contract section 4): a <b>retired</b> scope still shows on the tokens that
 * carry it (lookup, get, list), and is refused as input (create, update) with a 400 that names it.
 * Retired by default: the metadata-only scopes removed in 1.196/1.247 and {@code
 * analyzers.read}/{@code analyzers.write}, removed in 1.330.
 */
public final class ScopeCatalogue {
  private static final List<String> LEGACY =
      List.of(
          "ActiveGateCertManagement",
          "AdvancedSyntheticIntegration",
          "CaptureRequestData",
          "DTAQLAccess",
          "DataExport",
          "DataImport",
          "DataPrivacy",
          "Davis",
          "DssFileManagement",
          "ExternalSyntheticIntegration",
          "InstallerDownload",
          "LogExport",
          "PluginUpload",
          "ReadConfig",
          "ReadSyntheticData",
          "RestRequestForwarding",
          "RumBrowserExtension",
          "RumJavaScriptTagManagement",
          "SupportAlert",
          "TenantTokenManagement",
          "UserSessionAnonymization",
          "WriteConfig");

  /**
   * Removed from the token API (API changelogs 1.196, 1.247 and 1.330); old tokens may still carry
   * them.
   */
  private static final List<String> RETIRED =
      List.of(
          "DiagnosticExport",
          "MemoryDump",
          "Mobile",
          "ViewDashboard",
          "ViewReport",
          "WriteSyntheticData",
          "analyzers.read",
          "analyzers.write");

  private static final List<String> V2 =
      List.of(
          "activeGateTokenManagement.create",
          "activeGateTokenManagement.read",
          "activeGateTokenManagement.write",
          "activeGates.read",
          "activeGates.write",
          "adaptiveTrafficManagement.read",
          "agentTokenManagement.read",
          "apiTokens.read",
          "apiTokens.write",
          "attacks.read",
          "attacks.write",
          "auditLogs.read",
          "bizevents.ingest",
          "credentialVault.read",
          "credentialVault.write",
          "entities.read",
          "entities.write",
          "events.ingest",
          "events.read",
          "extensionConfigurationActions.write",
          "extensionConfigurations.read",
          "extensionConfigurations.write",
          "extensionDiscoveryJmx.read",
          "extensionDiscoveryPmi.read",
          "extensionEnvironment.read",
          "extensionEnvironment.write",
          "extensions.read",
          "extensions.write",
          "geographicRegions.read",
          "hub.install",
          "hub.read",
          "hub.write",
          "javaScriptMappingFiles.read",
          "javaScriptMappingFiles.write",
          "logs.ingest",
          "logs.read",
          "metrics.ingest",
          "metrics.read",
          "metrics.write",
          "networkZones.read",
          "networkZones.write",
          "oneAgents.read",
          "oneAgents.write",
          "openTelemetryTrace.ingest",
          "openpipeline.events",
          "openpipeline.events.custom",
          "openpipeline.events_sdlc",
          "openpipeline.events_sdlc.custom",
          "openpipeline.events_security",
          "openpipeline.events_security.custom",
          "problems.read",
          "problems.write",
          "releases.read",
          "rumCookieNames.read",
          "rumManualInsertionTags.read",
          "securityProblems.read",
          "securityProblems.write",
          "settings.read",
          "settings.write",
          "slo.read",
          "slo.write",
          "syntheticExecutions.read",
          "syntheticExecutions.write",
          "syntheticLocations.read",
          "syntheticLocations.write",
          "tenantTokenRotation.write",
          "traces.lookup",
          "unifiedAnalysis.read");

  /** Human descriptions used in 403 texts ("Use one of: apiTokens.write (Write API tokens)"). */
  static String describe(String scope) {
    return switch (scope) {
      case "apiTokens.read" -> "Read API tokens";
      case "apiTokens.write" -> "Write API tokens";
      case "TenantTokenManagement" -> "Token management";
      default -> scope;
    };
  }

  private final Set<String> assignable;
  private final Set<String> retired;

  private ScopeCatalogue(Collection<String> assignable, Collection<String> retired) {
    Set<String> stillAssignable = new LinkedHashSet<>(assignable);
    stillAssignable.removeAll(retired);
    this.assignable = Collections.unmodifiableSet(stillAssignable);
    this.retired = Collections.unmodifiableSet(new LinkedHashSet<>(retired));
  }

  public static ScopeCatalogue defaults() {
    Set<String> assignable = new LinkedHashSet<>(LEGACY);
    assignable.addAll(V2);
    return new ScopeCatalogue(assignable, RETIRED);
  }

  /**
   * This catalogue plus scopes a newer Dynatrace knows (e.g. {@code
   * openpipeline.events_smartscape}).
   */
  public ScopeCatalogue withAdditional(Collection<String> scopes) {
    Set<String> more = new LinkedHashSet<>(assignable);
    more.addAll(scopes);
    Set<String> fewerRetired = new LinkedHashSet<>(retired);
    fewerRetired.removeAll(scopes);
    return new ScopeCatalogue(more, fewerRetired);
  }

  /**
   * This catalogue without scopes at all: not even an old token can carry them (seeding refuses
   * them).
   */
  public ScopeCatalogue without(Collection<String> scopes) {
    Set<String> fewer = new LinkedHashSet<>(assignable);
    fewer.removeAll(scopes);
    Set<String> fewerRetired = new LinkedHashSet<>(retired);
    fewerRetired.removeAll(scopes);
    return new ScopeCatalogue(fewer, fewerRetired);
  }

  /**
   * This catalogue with {@code scopes} retired, as Dynatrace retires scopes: tokens keep showing
   * them, new tokens cannot get them. A scope unknown so far becomes known as retired (so old
   * tokens can be seeded with it).
   */
  public ScopeCatalogue retiring(Collection<String> scopes) {
    Set<String> moreRetired = new LinkedHashSet<>(retired);
    moreRetired.addAll(scopes);
    return new ScopeCatalogue(assignable, moreRetired);
  }

  /** May be given to a new or updated token through the API. */
  public boolean assignable(String scope) {
    return assignable.contains(scope);
  }

  /** Was assignable once and is refused as input now; tokens created before still carry it. */
  public boolean retired(String scope) {
    return retired.contains(scope);
  }

  /** Exists at all (assignable or retired); seeding through the Java API accepts these. */
  public boolean known(String scope) {
    return assignable.contains(scope) || retired.contains(scope);
  }

  public Set<String> assignableScopes() {
    return assignable;
  }

  public Set<String> retiredScopes() {
    return retired;
  }
}
