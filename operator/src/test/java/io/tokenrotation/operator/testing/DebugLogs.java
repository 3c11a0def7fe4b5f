package io.tokenrotation.operator.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * DEBUG logging for the tests that scan every log line for secrets. IT classes run concurrently, so
 * the levels are raised by the first scanner that starts and restored by the last one that stops
 * (one scanner restoring "its" previous level would otherwise silence another still running).
 */
public final class DebugLogs {
  private static int users;
  private static Level previousRoot;
  private static Level previousOperator;

  private DebugLogs() {}

  /**
   * Logback's context. While another thread is still initialising SLF4J (IT classes start
   * concurrently), SLF4J hands out a temporary substitute factory: wait for the real one.
   */
  public static LoggerContext context() {
    long deadline = System.nanoTime() + 10_000_000_000L;
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    while (!(factory instanceof LoggerContext) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      factory = LoggerFactory.getILoggerFactory();
    }
    return (LoggerContext) factory;
  }

  public static synchronized void acquire() {
    if (users++ == 0) {
      LoggerContext context = context();
      Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      Logger operator = context.getLogger("io.tokenrotation");
      previousRoot = root.getLevel();
      previousOperator = operator.getLevel();
      root.setLevel(Level.DEBUG);
      operator.setLevel(Level.DEBUG);
    }
  }

  public static synchronized void release() {
    if (users > 0 && --users == 0) {
      LoggerContext context = context();
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(previousRoot);
      context.getLogger("io.tokenrotation").setLevel(previousOperator);
    }
  }
}
