package io.tokenrotation.sim.dynatrace;

import io.tokenrotation.sim.http.SettableClock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh simulator per test on an ephemeral port, with one admin token allowed to do everything.
 */
abstract class SimulatorTestBase {
  static final String OWNER = "ops@example.com";
  static final List<String> ADMIN_SCOPES =
      List.of("apiTokens.read", "apiTokens.write", "TenantTokenManagement");

  protected SettableClock clock;
  protected DynatraceSimulator sim;
  protected IssuedToken admin;
  protected DtHttp http;

  @BeforeEach
  void startSimulator() {
    clock = new SettableClock();
    sim = DynatraceSimulator.start(0, clock);
    admin = sim.createToken("admin", ADMIN_SCOPES, OWNER, null);
    http = new DtHttp(sim.baseUrl(), admin.token());
  }

  @AfterEach
  void stopSimulator() {
    sim.close();
  }

  static String createBody(String name, String... scopes) {
    return "{\"name\":\""
        + name
        + "\",\"scopes\":["
        + String.join(",", Arrays.stream(scopes).map(s -> "\"" + s + "\"").toList())
        + "]}";
  }
}
