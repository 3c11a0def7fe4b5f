package io.tokenrotation.operator.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter cannot check (Spotless runs google-java-format at validate): every Java class
 * name is unique across the modules, so a stack trace or a search names one file; main code imports
 * types instead of naming them fully inline; no main class of the operator outgrows one read (300
 * lines, formatted): a class that does is doing two things; and every operator integration test
 * that uses a {@code TestWorld} gets it from the {@code TestWorlds} extension, which shapes it and
 * closes it, instead of building one by hand.
 */
class StyleRulesTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> MODULES = List.of("simulators", "operator", "sandbox", "e2e");

  /** A fully qualified type name in code, e.g. {@code java.util.function.Supplier}. */
  private static final Pattern INLINE_NAME =
      Pattern.compile(
          "(?<![\\w.\"])(?:java|javax|io|com|org|okhttp3)(?:\\.[a-z0-9_]+)+\\.[A-Z]\\w*");

  /** A mention of {@code TestWorld} ({@code TestWorlds}, the extension, is not one). */
  private static final Pattern USES_TEST_WORLD = Pattern.compile("\\bTestWorld\\b");

  /** The extension among those a class declares: {@code @ExtendWith(TestWorlds.class)}. */
  private static final Pattern EXTENDED_WITH_TEST_WORLDS =
      Pattern.compile("@ExtendWith\\(\\{?[^)]*\\bTestWorlds\\.class");

  /** The most lines an operator main class may have, formatted (issue 15). */
  private static final int MAX_MAIN_CLASS_LINES = 300;

  private static List<Path> sources(String under) {
    if (!Files.isDirectory(REPO.resolve(under))) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(REPO.resolve(under))) {
      return walk.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/"))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void everyClassNameIsUniqueAcrossTheModules() {
    Map<String, List<String>> byName =
        MODULES.stream()
            .flatMap(m -> sources(m).stream())
            .collect(
                Collectors.groupingBy(
                    p -> p.getFileName().toString(),
                    Collectors.mapping(p -> REPO.relativize(p).toString(), Collectors.toList())));
    assertThat(byName).isNotEmpty();
    assertThat(byName.values().stream().filter(paths -> paths.size() > 1).toList())
        .as("class names that exist twice")
        .isEmpty();
  }

  @Test
  void mainCodeImportsTypesInsteadOfNamingThemInline() throws IOException {
    List<String> inline = new ArrayList<>();
    for (String module : MODULES) {
      for (Path file : sources(module + "/src/main")) {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).strip();
          if (line.startsWith("import ")
              || line.startsWith("package ")
              || line.startsWith("*")
              || line.startsWith("//")
              || line.startsWith("/*")) {
            continue;
          }
          Matcher m = INLINE_NAME.matcher(line);
          // Two types of one simple name in a file (re2j's Pattern beside java.util.regex's) need
          // one inline.
          while (m.find()) {
            if (!m.group().equals("com.google.re2j.Pattern")) {
              inline.add(REPO.relativize(file) + ":" + (i + 1) + " " + m.group());
            }
          }
        }
      }
    }
    assertThat(inline).as("inline qualified names in main code").isEmpty();
  }

  @Test
  void noOperatorMainClassIsLongerThanOneRead() throws IOException {
    List<String> tooLong = new ArrayList<>();
    List<Path> files = sources("operator/src/main");
    for (Path file : files) {
      int lines = Files.readAllLines(file).size();
      if (lines > MAX_MAIN_CLASS_LINES) {
        tooLong.add(REPO.relativize(file) + " has " + lines + " lines");
      }
    }
    assertThat(files).isNotEmpty();
    assertThat(tooLong)
        .as("operator main classes over " + MAX_MAIN_CLASS_LINES + " lines")
        .isEmpty();
  }

  @Test
  void operatorIntegrationTestsGetTheirWorldFromTestWorlds() throws IOException {
    List<String> byHand = new ArrayList<>();
    int usingWorld = 0;
    for (Path file : sources("operator/src/test")) {
      String text = Files.readString(file);
      if (!file.getFileName().toString().endsWith("IT.java")
          || !USES_TEST_WORLD.matcher(text).find()) {
        continue;
      }
      usingWorld++;
      String name = REPO.relativize(file).toString();
      if (!EXTENDED_WITH_TEST_WORLDS.matcher(text).find()) {
        byHand.add(name + " has no @ExtendWith(TestWorlds.class)");
      }
      for (String factory : List.of("TestWorld.start(", "TestWorld.startUnchecked(")) {
        if (text.contains(factory)) {
          byHand.add(name + " calls " + factory + ")");
        }
      }
    }
    assertThat(usingWorld).as("operator ITs that use TestWorld").isPositive();
    assertThat(byHand).as("operator ITs that build their TestWorld by hand").isEmpty();
  }
}
