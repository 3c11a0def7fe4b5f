package io.tokenrotation.sim.dynatrace;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The scope names the simulated environment knows. Dynatrace adds scopes without a version bump, so the set is
 * configurable ({@link #withAdditional}); the default is the ApiToken enum of the current Managed docs (contract
 * section 6). Metadata-only scopes may appear on existing tokens but are refused as input, as the real API does.
 */
public final class ScopeCatalogue {
  private static final List<String> LEGACY = List.of("ActiveGateCertManagement", "AdvancedSyntheticIntegration",
      "CaptureRequestData", "DTAQLAccess", "DataExport", "DataImport", "DataPrivacy", "Davis", "DssFileManagement",
      "ExternalSyntheticIntegration", "InstallerDownload", "LogExport", "PluginUpload", "ReadConfig",
      "ReadSyntheticData", "RestRequestForwarding", "RumBrowserExtension", "RumJavaScriptTagManagement",
      "SupportAlert", "TenantTokenManagement", "UserSessionAnonymization", "WriteConfig");
  private static final List<String> METADATA_ONLY = List.of("DiagnosticExport", "MemoryDump", "Mobile",
      "ViewDashboard", "ViewReport", "WriteSyntheticData");
  private static final List<String> V2 = List.of("activeGateTokenManagement.create", "activeGateTokenManagement.read",
      "activeGateTokenManagement.write", "activeGates.read", "activeGates.write", "adaptiveTrafficManagement.read",
      "agentTokenManagement.read", "apiTokens.read", "apiTokens.write", "attacks.read", "attacks.write",
      "auditLogs.read", "bizevents.ingest", "credentialVault.read", "credentialVault.write", "entities.read",
      "entities.write", "events.ingest", "events.read", "extensionConfigurationActions.write",
      "extensionConfigurations.read", "extensionConfigurations.write", "extensionDiscoveryJmx.read",
      "extensionDiscoveryPmi.read", "extensionEnvironment.read", "extensionEnvironment.write", "extensions.read",
      "extensions.write", "geographicRegions.read", "hub.install", "hub.read", "hub.write",
      "javaScriptMappingFiles.read", "javaScriptMappingFiles.write", "logs.ingest", "logs.read", "metrics.ingest",
      "metrics.read", "metrics.write", "networkZones.read", "networkZones.write", "oneAgents.read", "oneAgents.write",
      "openTelemetryTrace.ingest", "openpipeline.events", "openpipeline.events.custom", "openpipeline.events_sdlc",
      "openpipeline.events_sdlc.custom", "openpipeline.events_security", "openpipeline.events_security.custom",
      "problems.read", "problems.write", "releases.read", "rumCookieNames.read", "rumManualInsertionTags.read",
      "securityProblems.read", "securityProblems.write", "settings.read", "settings.write", "slo.read", "slo.write",
      "syntheticExecutions.read", "syntheticExecutions.write", "syntheticLocations.read", "syntheticLocations.write",
      "tenantTokenRotation.write", "traces.lookup", "unifiedAnalysis.read");

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
  private final Set<String> metadataOnly;

  private ScopeCatalogue(Collection<String> assignable, Collection<String> metadataOnly) {
    this.assignable = Set.copyOf(assignable);
    this.metadataOnly = Set.copyOf(metadataOnly);
  }

  public static ScopeCatalogue defaults() {
    Set<String> assignable = new LinkedHashSet<>(LEGACY);
    assignable.addAll(V2);
    return new ScopeCatalogue(assignable, METADATA_ONLY);
  }

  /** This catalogue plus scopes a newer Dynatrace knows (e.g. {@code openpipeline.events_smartscape}). */
  public ScopeCatalogue withAdditional(Collection<String> scopes) {
    Set<String> more = new LinkedHashSet<>(assignable);
    more.addAll(scopes);
    return new ScopeCatalogue(more, metadataOnly);
  }

  /** This catalogue without scopes Dynatrace has removed (e.g. {@code analyzers.read}). */
  public ScopeCatalogue without(Collection<String> scopes) {
    Set<String> fewer = new LinkedHashSet<>(assignable);
    fewer.removeAll(scopes);
    return new ScopeCatalogue(fewer, metadataOnly);
  }

  /** May be given to a new or updated token through the API. */
  public boolean assignable(String scope) {
    return assignable.contains(scope);
  }

  /** Exists at all (assignable or metadata-only); seeding through the Java API accepts these. */
  public boolean known(String scope) {
    return assignable.contains(scope) || metadataOnly.contains(scope);
  }
}
