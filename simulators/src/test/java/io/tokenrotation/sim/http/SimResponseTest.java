package io.tokenrotation.sim.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimResponseTest {

  /**
   * A fault's "content-type" from JSON must replace the default, not sit beside it and race it on
   * the wire.
   */
  @Test
  void aHeaderReplacesItselfInAnySpelling() {
    SimResponse response = SimResponse.json(200, "{}").withHeader("content-type", "text/html");

    assertThat(response.headers())
        .containsOnlyKeys("content-type")
        .containsEntry("content-type", "text/html");
    assertThat(response.withHeader("Retry-After", "7").headers()).hasSize(2);
  }
}
