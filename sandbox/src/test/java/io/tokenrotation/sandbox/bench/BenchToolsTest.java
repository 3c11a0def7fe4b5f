package io.tokenrotation.sandbox.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bench's own parsing: its options and the operator JVM's GC log. */
class BenchToolsTest {

  @Test
  void gcLogGivesThePeakOccupancyAndWhatTheLastCollectionLeft() {
    OperatorProcess.Heap heap =
        OperatorProcess.parse(
            List.of(
                "[0.012s][info][gc] Using G1",
                "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->5M(256M) 4.120ms",
                "[9.870s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 208M->71M(256M) 9.5ms",
                "[9.900s][info][gc] GC(2) Concurrent Mark Cycle",
                "[30.01s][info][gc] GC(3) Pause Full (Diagnostic Command) 120M->67M(256M) 88.1ms"));
    assertThat(heap.peakMiB()).isEqualTo(208);
    assertThat(heap.liveMiB()).isEqualTo(67);
    assertThat(heap.collections()).isEqualTo(3);
  }

  @Test
  void theOperatorProcessRunsWithTheJvmOptionsOfTheDeployment() throws Exception {
    String deployment =
        Files.readString(Path.of("..", "deploy", "base", "operator", "deployment.yaml"));
    Matcher toolOptions =
        Pattern.compile("name: JAVA_TOOL_OPTIONS\\s+value: \"([^\"]*)\"").matcher(deployment);
    assertThat(toolOptions.find()).as("the Deployment sets JAVA_TOOL_OPTIONS").isTrue();

    assertThat(List.of(toolOptions.group(1).split(" ")))
        .containsAll(OperatorProcess.DEPLOYED_JVM_OPTIONS);
    assertThat(OperatorProcess.jvmOptions(null)).isEqualTo(OperatorProcess.DEPLOYED_JVM_OPTIONS);
  }

  @Test
  void theOperatorsJvmOptionsCanBeReplacedForAComparison() {
    assertThat(OperatorProcess.jvmOptions("")).isEmpty();
    assertThat(OperatorProcess.jvmOptions(" -XX:+UseSerialGC  -Xss1m "))
        .containsExactly("-XX:+UseSerialGC", "-Xss1m");
  }

  @Test
  void theBenchRestartsOnlyForTheOptionsItsJvmLacks() {
    assertThat(
            BenchJvm.missing(
                List.of("-XX:TieredStopAtLevel=1"), List.of("-Xmx1g", "-XX:TieredStopAtLevel=1")))
        .isEmpty();
    assertThat(BenchJvm.missing(List.of("-XX:TieredStopAtLevel=1"), List.of("-Xmx1g")))
        .containsExactly("-XX:TieredStopAtLevel=1");
    assertThat(BenchJvm.missing(List.of(), List.of("-Xmx1g"))).isEmpty();
  }

  @Test
  void groupsFallDueOnWholeSecondsAsStatusRecordsThem() {
    assertThat(Benchmark.wholeSecondAfter(Instant.parse("2026-11-30T12:00:00.700Z")))
        .isEqualTo(Instant.parse("2026-11-30T12:00:01Z"));
    assertThat(Benchmark.wholeSecondAfter(Instant.parse("2026-11-30T12:00:01Z")))
        .isEqualTo(Instant.parse("2026-11-30T12:00:01Z"));
  }

  @Test
  void aLogWithoutCollectionsReportsZero() {
    assertThat(OperatorProcess.parse(List.of("[0.012s][info][gc] Using G1")))
        .isEqualTo(new OperatorProcess.Heap(0, 0, 0));
  }

  @Test
  void optionsHaveDefaultsThatScaleWithTheFleet() {
    BenchOptions defaults = BenchOptions.parse(new String[] {});
    assertThat(defaults.resources()).isEqualTo(1000);
    assertThat(defaults.latency()).isEqualTo(Duration.ofMillis(10));
    assertThat(defaults.warmup()).isEqualTo(200);
    assertThat(defaults.dueIn()).isEqualTo(Duration.ofSeconds(30));
    assertThat(defaults.operatorHeap()).isEqualTo(256);
    assertThat(defaults.kube()).isEqualTo("embedded");
    assertThat(defaults.realKube()).isFalse();
    assertThat(BenchOptions.parse(new String[] {"--resources", "50"}).warmup()).isEqualTo(10);
  }

  @Test
  void optionsAreParsed() {
    BenchOptions o =
        BenchOptions.parse(
            new String[] {
              "--resources",
              "10000",
              "--resident",
              "--latency",
              "0",
              "--warmup",
              "0",
              "--operator-heap",
              "128",
              "--due-in",
              "2m",
              "--threads",
              "50",
              "--baseline",
              "20"
            });
    assertThat(o.resources()).isEqualTo(10000);
    assertThat(o.resident()).isTrue();
    assertThat(o.latency()).isZero();
    assertThat(o.warmup()).isZero();
    assertThat(o.operatorHeap()).isEqualTo(128);
    assertThat(o.dueIn()).isEqualTo(Duration.ofMinutes(2));
    assertThat(o.threads()).isEqualTo(50);
    assertThat(o.baselineResources()).isEqualTo(20);
    assertThat(BenchOptions.parse(new String[] {"--kube", "real"}).realKube()).isTrue();
  }

  @Test
  void badOptionsSaySpecificallyWhatIsWrong() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--resources", "-3"}))
        .hasMessage("--resources: \"-3\" is not a positive number");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--warmup"}))
        .hasMessage("--warmup needs a value");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--kube", "kind"}))
        .hasMessage("--kube: \"kind\" is neither embedded nor real");
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--fast"}))
        .hasMessage("unknown bench argument --fast");
  }

  @Test
  void theCurveWritesOneCsvRowPerSizeAndDrawsThem() {
    BenchOptions template = BenchOptions.parse(new String[] {});
    List<ScalingCurve.Point> points =
        List.of(
            new ScalingCurve.Point(100, 9.5, 3.0, 4.0, 6.1, 40, 1.2),
            new ScalingCurve.Point(1000, 6.2, 3.01, 4.01, 9.3, 60, 2.0));
    assertThat(ScalingCurve.csv(points, template).lines())
        .hasSize(3)
        .first()
        .asString()
        .startsWith("resources,msPerRotation,callsPerRotation,k8sWritesPerRotation");
    assertThat(ScalingCurve.csv(points, template))
        .contains("1000,6.200,3.01,4.01,9.3,60.0,61.44,2.00,embedded,10");
    BufferedImage chart = ScalingCurve.chart(points, template);
    assertThat(chart.getWidth()).isEqualTo(1000);
    assertThat(chart.getRGB(0, 0)).as("a white background").isEqualTo(0xFFFFFFFF);
  }

  @Test
  void managedResourcesAreAskedForExplicitly() {
    assertThat(BenchOptions.parse(new String[] {}).managed()).isFalse();
    assertThat(BenchOptions.parse(new String[] {"--resident", "--managed"}).managed()).isTrue();
    assertThat(BenchOptions.parse(new String[] {"--managed"}).sized(100, true).managed()).isTrue();
  }

  @Test
  void curveSizesAreSortedPositiveNumbers() {
    assertThat(ScalingCurve.sizes("1000, 100,5000")).containsExactly(100, 1000, 5000);
    assertThatThrownBy(() -> ScalingCurve.sizes("100,0")).hasMessageStartingWith("--curve:");
    assertThatThrownBy(() -> ScalingCurve.sizes("a")).hasMessageStartingWith("--curve:");
  }
}
