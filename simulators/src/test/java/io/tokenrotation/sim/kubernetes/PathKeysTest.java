package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathKeysTest {
  private final List<String> derived = new ArrayList<>();
  private final PathKeys keys =
      new PathKeys(
          path -> {
            derived.add(path);
            return new AttributeSet(new Attribute("name", path + "#" + derived.size()));
          });

  @Test
  void aPathIsDerivedOnceAndItsKeyReused() {
    AttributeSet first = keys.of("/api/v1/namespaces/a/serviceaccounts/s");
    AttributeSet again = keys.of("/api/v1/namespaces/a/serviceaccounts/s");

    assertThat(again).isSameAs(first);
    assertThat(derived).hasSize(1);
  }

  @Test
  void aPathWithAQueryIsDerivedEveryTime() {
    keys.of("/api/v1/secrets?watch=true");
    keys.of("/api/v1/secrets?watch=true");

    assertThat(derived).hasSize(2);
  }

  @Test
  void theMemoryStartsOverWhenFull() {
    for (int i = 0; i <= PathKeys.MAX_REMEMBERED; i++) {
      keys.of("/api/v1/namespaces/a/secrets/s" + i);
    }
    keys.of("/api/v1/namespaces/a/secrets/s0");

    assertThat(derived).hasSize(PathKeys.MAX_REMEMBERED + 2);
  }
}
