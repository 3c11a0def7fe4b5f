package io.tokenrotation.sim;

import io.tokenrotation.sim.dynatrace.DynatraceSimulator;
import io.tokenrotation.sim.dynatrace.IssuedToken;
import io.tokenrotation.sim.vault.VaultSimulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state the seed's scripts expect, like {@code vault server -dev} plus a Dynatrace environment:
 * root token {@code root}, KV v2 at {@code secret/}, a management token at {@code
 * secret/dynatrace/master} and two automation tokens at {@code secret/dynatrace/automation_script1}
 * and {@code _script2} (field {@code token}).
 */
public final class SeedState {
  public static final String OWNER = "admin@example.com";
  public static final String MASTER_PATH = "dynatrace/master";
  public static final List<String> MASTER_SCOPES =
      List.of("apiTokens.read", "apiTokens.write", "TenantTokenManagement");
  public static final List<String> SCRIPT_SCOPES = List.of("ReadConfig", "DataExport");
  public static final List<String> SCRIPT_PATHS =
      List.of("dynatrace/automation_script1", "dynatrace/automation_script2");

  private SeedState() {}

  /** Seeds both simulators; returns Vault path -> token id (public ids only, for printing). */
  public static Map<String, String> apply(VaultSimulator vault, DynatraceSimulator dynatrace) {
    Map<String, String> seeded = new LinkedHashMap<>();
    IssuedToken master = dynatrace.createToken("master", MASTER_SCOPES, OWNER, null);
    vault.writeKv("", "secret", MASTER_PATH, Map.of("token", master.token()));
    seeded.put("secret/" + MASTER_PATH, master.id());
    for (String path : SCRIPT_PATHS) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      IssuedToken token = dynatrace.createToken(name, SCRIPT_SCOPES, OWNER, null);
      vault.writeKv("", "secret", path, Map.of("token", token.token()));
      seeded.put("secret/" + path, token.id());
    }
    return seeded;
  }
}
