package io.tokenrotation.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Token-shaped strings never reach the log output, in either format, from the message, arguments,
 * MDC or stack.
 */
class RedactingEncoderTest {
  static final String DT_ID = "dt0c01.ST2EY72KQINMH574WMNVI7YN";
  static final String DT_SECRET =
      "G3DFPBEJYMODIDAEX454M7YWBUVEFOWKPRVMWFASS64NFH52PX6BNDVFFM572RZM";
  static final String DT_TOKEN = DT_ID + "." + DT_SECRET;
  static final String VAULT_TOKEN = "hvs.CAESIJ3kq8yZbVx0mL2nQ7rT9uWcYdEfGhIjKlMnOpQrStUv";
  static final String JWT =
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQ";

  private static String log(String format) {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(MDC.getMDCAdapter());
    RedactingEncoder encoder = new RedactingEncoder();
    encoder.setContext(context);
    encoder.setFormat(format);
    encoder.start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    Logger logger = context.getLogger("test");
    logger.addAppender(appender);
    MDC.put("resource", "team-a/x " + VAULT_TOKEN);
    try {
      logger.info("stored {} in Vault with {}", DT_TOKEN, VAULT_TOKEN);
      logger.warn(
          "login with " + JWT + " refused",
          new IllegalStateException("token " + DT_TOKEN + " rejected"));
    } finally {
      MDC.clear();
    }
    appender.stop();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textFormatMasksTokensButKeepsTheDynatraceTokenId() {
    String out = log("text");
    assertThat(out)
        .doesNotContain(DT_SECRET)
        .doesNotContain(VAULT_TOKEN.substring(4))
        .doesNotContain(JWT)
        .contains(DT_ID + ".***")
        .contains("hvs.***")
        .contains("***jwt***")
        .contains("IllegalStateException");
  }

  @Test
  void jsonFormatIsOneValidObjectPerLineWithMasksApplied() throws Exception {
    String out = log("JSON");
    assertThat(out)
        .doesNotContain(DT_SECRET)
        .doesNotContain(VAULT_TOKEN.substring(4))
        .doesNotContain(JWT);
    String[] lines = out.strip().split("\n");
    assertThat(lines).hasSize(2);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode first = mapper.readTree(lines[0]);
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("logger").asText()).isEqualTo("test");
    assertThat(first.get("message").asText())
        .isEqualTo("stored " + DT_ID + ".*** in Vault with hvs.***");
    assertThat(first.get("mdc").get("resource").asText()).isEqualTo("team-a/x hvs.***");
    assertThat(first.get("time").asText()).endsWith("Z");
    JsonNode second = mapper.readTree(lines[1]);
    assertThat(second.get("exception").asText())
        .contains("IllegalStateException: token " + DT_ID + ".*** rejected");
  }

  @Test
  void theBundledLogbackConfigurationUsesTheRedactingEncoderAndLogFormat() throws Exception {
    for (String format : new String[] {"json", "text"}) {
      LoggerContext context = new LoggerContext();
      context.setMDCAdapter(MDC.getMDCAdapter());
      context.putProperty("LOG_FORMAT", format);
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(
          RedactingEncoderTest.class.getResource("/tokenrotation-logback.xml"));
      var appender =
          (ch.qos.logback.core.ConsoleAppender<?>)
              context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
      assertThat(appender.getEncoder()).isInstanceOf(RedactingEncoder.class);
      assertThat(((RedactingEncoder) appender.getEncoder()).json())
          .isEqualTo(format.equals("json"));
    }
  }
}
