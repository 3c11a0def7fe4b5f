package io.tokenrotation.operator.app;

/**
 * Points logback at the operator's configuration ({@code tokenrotation-logback.xml}: text or JSON,
 * always redacted). It is not named {@code logback.xml} because build plugins that read {@code
 * target/classes} (the CRD generator) would load it without the project's classes and print errors.
 * Call before the first logger is created.
 */
public final class Logging {
  public static final String CONFIG = "tokenrotation-logback.xml";

  private Logging() {}

  public static void configure() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", CONFIG);
    }
  }
}
