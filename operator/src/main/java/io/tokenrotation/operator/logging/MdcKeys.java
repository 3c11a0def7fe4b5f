package io.tokenrotation.operator.logging;

/**
 * Keys of the logging context (SLF4J MDC) every reconciler sets, so log lines name their resource.
 */
public final class MdcKeys {
  /** {@code namespace/name} of the resource a log line is about. */
  public static final String RESOURCE = "resource";

  private MdcKeys() {}
}
