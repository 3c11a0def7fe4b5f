package io.tokenrotation.operator.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tokenrotation.operator.http.Redaction;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator's only log encoder: human-readable lines ({@code format=text}, the default) or one
 * JSON object per line ({@code format=json}: time, level, logger, thread, message, mdc, exception).
 * Whatever the format, the finished line goes through {@link Redaction} last, so a token-shaped
 * string (Dynatrace secret part, Vault hvs./hvb./s. tokens, JWTs) never reaches the output, whether
 * it came in the message, an argument, the MDC or a stack trace: defence in depth behind the code's
 * own care. The masks keep JSON valid (no quote or backslash).
 */
public class RedactingEncoder extends EncoderBase<ILoggingEvent> {
  public static final String DEFAULT_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n";
  private static final JsonFactory JSON = new JsonFactory();

  private String format = "text";
  private String pattern = DEFAULT_PATTERN;
  private PatternLayout layout;

  /** {@code text} or {@code json} (case-insensitive); anything else is text. */
  public void setFormat(String format) {
    this.format = format == null ? "text" : format.trim().toLowerCase(Locale.ROOT);
  }

  public String getFormat() {
    return format;
  }

  public void setPattern(String pattern) {
    this.pattern = pattern;
  }

  public boolean json() {
    return "json".equals(format);
  }

  @Override
  public void start() {
    if (!json()) {
      layout = new PatternLayout();
      layout.setContext(getContext());
      layout.setPattern(pattern);
      layout.start();
    }
    super.start();
  }

  @Override
  public void stop() {
    if (layout != null) {
      layout.stop();
    }
    super.stop();
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = json() ? jsonLine(event) : layout.doLayout(event);
    return Redaction.redact(line).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  private static String jsonLine(ILoggingEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null && !mdc.isEmpty()) {
        json.writeObjectFieldStart("mdc");
        for (Map.Entry<String, String> e : new TreeMap<>(mdc).entrySet()) {
          json.writeStringField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("exception", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      return "{\"level\":\"ERROR\",\"message\":\"log encoding failed\"}\n";
    }
    return out + "\n";
  }
}
