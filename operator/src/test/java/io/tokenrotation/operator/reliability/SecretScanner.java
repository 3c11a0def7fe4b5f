package io.tokenrotation.operator.reliability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import io.tokenrotation.operator.testing.DebugLogs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * Captures every log line of the JVM (all levels, DEBUG included, with exception messages and stack
 * traces) and finds secrets in it and in any other text handed to it (events, statuses).
 */
public final class SecretScanner {
  /** A full Dynatrace token: prefix, public part and secret part. */
  public static final Pattern DYNATRACE_SECRET =
      Pattern.compile("dt0[a-zA-Z][0-9]{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}");

  /** Vault service/batch tokens. */
  public static final Pattern VAULT_TOKEN = Pattern.compile("\\bhv[sb]\\.[A-Za-z0-9_\\-]{20,}");

  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final Capture appender = new Capture();

  private final class Capture extends AppenderBase<ILoggingEvent> {
    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder text =
          new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
      event.getMDCPropertyMap().forEach((k, v) -> text.append(' ').append(k).append('=').append(v));
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        for (var frame : t.getStackTraceElementProxyArray()) {
          text.append(' ').append(frame.getSTEAsString());
        }
      }
      lines.add(text.toString());
    }
  }

  /** Starts capturing: root logger at DEBUG ({@link DebugLogs}, released by {@link #stop()}). */
  public SecretScanner start() {
    LoggerContext context = DebugLogs.context();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    DebugLogs.acquire();
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
    return this;
  }

  public void stop() {
    LoggerContext context = DebugLogs.context();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(appender);
    appender.stop();
    DebugLogs.release();
  }

  public int capturedLines() {
    return lines.size();
  }

  /**
   * Log lines (and extra texts) that contain a secret: a token-shaped string or one of the known
   * secret values.
   */
  public List<String> leaks(Collection<String> extraTexts, Collection<String> knownSecrets) {
    List<String> found = new ArrayList<>();
    List<String> all = new ArrayList<>(lines);
    all.addAll(extraTexts);
    for (String text : all) {
      if (DYNATRACE_SECRET.matcher(text).find()
          || VAULT_TOKEN.matcher(text).find()
          || knownSecrets.stream()
              .anyMatch(s -> s != null && s.length() >= 12 && text.contains(s))) {
        // report where, never the secret itself: test output must stay clean too
        String shown =
            VAULT_TOKEN
                .matcher(DYNATRACE_SECRET.matcher(text).replaceAll("<DT-SECRET>"))
                .replaceAll("<VAULT-TOKEN>");
        for (String secret : knownSecrets) {
          if (secret != null && secret.length() >= 12) {
            shown = shown.replace(secret, "<KNOWN-SECRET>");
          }
        }
        found.add(shown.length() > 300 ? shown.substring(0, 300) + "..." : shown);
      }
    }
    return found;
  }
}
