package io.tokenrotation.operator.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one way an integration test gets its world: a fresh {@link TestWorld} per test (embedded API
 * server, Vault and Dynatrace simulators seeded, the Vault token Secret), with the operator started
 * unless the class says {@link OperatorStartedByTest}; closed after the test whatever happened. A
 * class declares {@code @ExtendWith(TestWorlds.class)} and takes the world as a parameter, e.g. of
 * its {@code @BeforeEach}.
 */
public final class TestWorlds implements ParameterResolver {
  /** The test starts the operator itself (with its own options, or after setting the stage). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface OperatorStartedByTest {}

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestWorlds.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // One world per test: the method's store is closed (and the world with it) when the test ends.
    return context
        .getStore(NAMESPACE)
        .computeIfAbsent(
            TestWorld.class,
            key -> {
              TestWorld world = TestWorld.startUnchecked().withRootTokenSecret();
              boolean byTest =
                  context.getRequiredTestClass().isAnnotationPresent(OperatorStartedByTest.class);
              return byTest ? world : world.startOperator();
            },
            TestWorld.class);
  }
}
