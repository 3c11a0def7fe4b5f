package io.tokenrotation.operator.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one way an integration test gets its world: a {@link TestWorld} (embedded API server, Vault
 * and Dynatrace simulators seeded, the Vault token Secret), with the operator started unless the
 * class says {@link OperatorStartedByTest}; closed when its scope ends, whatever happened. A class
 * declares {@code @ExtendWith(TestWorlds.class)} and takes the world as a parameter of a test, of
 * its {@code @BeforeEach} or (with {@link Shared}) of its {@code @BeforeAll}.
 *
 * <p>The class's annotations shape the world, so that no test builds one by hand ({@code
 * StyleRulesTest} holds every operator IT that uses a {@link TestWorld} to this extension):
 *
 * <ul>
 *   <li>{@link Shared}: one world for the whole class (fleets and catalogues that would pay the
 *       start-up for every case); otherwise one world per test;
 *   <li>{@link OperatorStartedByTest}: the test starts the operator itself (its own options, or
 *       after setting the stage);
 *   <li>{@link WithOperatorNamespace}: the operator's own namespace exists (Leases, its
 *       ServiceAccount);
 *   <li>{@link WithoutRootTokenSecret}: no Secret holding Vault's root token (the test grants Vault
 *       access its own way).
 * </ul>
 */
public final class TestWorlds implements ParameterResolver {
  /** The test starts the operator itself (with its own options, or after setting the stage). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface OperatorStartedByTest {}

  /** One world for every test of the class, closed after the last one. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface Shared {}

  /** The world has the operator's own namespace. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface WithOperatorNamespace {}

  /** The world has no Secret with Vault's root token. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  public @interface WithoutRootTokenSecret {}

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(TestWorlds.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestWorld.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    // The scope's store closes the world (an AutoCloseable) when the scope ends: the test's, or
    // with @Shared the class's.
    ExtensionContext scope =
        testClass.isAnnotationPresent(Shared.class) ? classContext(context, testClass) : context;
    return scope
        .getStore(NAMESPACE)
        .computeIfAbsent(TestWorld.class, key -> start(testClass), TestWorld.class);
  }

  private static TestWorld start(Class<?> testClass) {
    TestWorld world = TestWorld.startUnchecked();
    if (testClass.isAnnotationPresent(WithOperatorNamespace.class)) {
      world.withOperatorNamespace();
    }
    if (!testClass.isAnnotationPresent(WithoutRootTokenSecret.class)) {
      world.withRootTokenSecret();
    }
    return testClass.isAnnotationPresent(OperatorStartedByTest.class)
        ? world
        : world.startOperator();
  }

  /** The context of the test class itself (a method's context is a child of it). */
  private static ExtensionContext classContext(ExtensionContext context, Class<?> testClass) {
    Optional<ExtensionContext> current = Optional.of(context);
    while (current.isPresent()) {
      ExtensionContext c = current.get();
      if (c.getElement().filter(testClass::equals).isPresent()) {
        return c;
      }
      current = c.getParent();
    }
    throw new IllegalStateException("no class context for " + testClass.getName());
  }
}
