package io.tokenrotation.operator.spec;

import io.tokenrotation.operator.api.LenientlyRead;
import java.util.List;
import java.util.Optional;

/**
 * What validating a spec found: the problems (field path + what is wrong; what could not even be
 * read comes first) and, when there are none, the effective spec with every default applied.
 */
public record Validation<T>(List<String> problems, Optional<T> effective) {
  /**
   * The outcome of checking {@code spec}: {@code effective} counts only when nothing at all is
   * wrong.
   */
  public static <T> Validation<T> of(LenientlyRead spec, List<String> checked, T effective) {
    List<String> problems = SpecChecks.withReadProblems(spec, checked);
    return new Validation<>(
        problems, problems.isEmpty() ? Optional.of(effective) : Optional.empty());
  }

  public boolean valid() {
    return problems.isEmpty();
  }

  /** One line for a condition message: the first few problems. */
  public String summary() {
    return SpecChecks.summary(problems);
  }
}
