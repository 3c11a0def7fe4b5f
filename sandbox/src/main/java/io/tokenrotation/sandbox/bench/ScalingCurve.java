package io.tokenrotation.sandbox.bench;

import io.tokenrotation.sim.realkube.KubeBinaries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * {@code bench --curve 100,1000,5000,10000 [--out DIR]}: the rotation run and the resident run at
 * each size, one after the other, written as {@code bench-curve.csv} and drawn as {@code
 * bench-curve.png} (time per rotation, and the operator's heap per resident resource, against N on
 * a log scale), so growth shows at a glance (docs/benchmarks.md).
 */
public final class ScalingCurve {
  /** One size: what a rotation costs there, and what a resident resource costs. */
  public record Point(
      int resources,
      double msPerRotation,
      double callsPerRotation,
      double k8sWritesPerRotation,
      double speedup,
      double residentPeakHeapMiB,
      double startToReadySeconds) {
    double heapKiBPerResource() {
      return residentPeakHeapMiB * 1024 / resources;
    }
  }

  private ScalingCurve() {}

  public static List<Point> run(
      List<Integer> sizes, BenchOptions template, KubeBinaries binaries, Path out, PrintStream log)
      throws Exception {
    List<Point> points = new ArrayList<>();
    for (int n : sizes) {
      BenchOptions rotations = template.sized(n, false);
      log.printf(Locale.ROOT, "%n=== N=%d: rotations%n", n);
      Benchmark.Result rotated = Benchmark.run(rotations, binaries, log);
      log.println(rotated.json());
      log.printf(
          Locale.ROOT, "%n=== N=%d: resident, operator heap %d MiB%n", n, template.operatorHeap());
      Benchmark.Result resident = Benchmark.run(template.sized(n, true), binaries, log);
      log.println(resident.json());
      points.add(
          new Point(
              n,
              rotated.operatorSeconds() * 1000 / n,
              rotated.callsPerRotation(),
              rotated.k8sWritesPerRotation(),
              rotated.speedup(),
              resident.peakHeapMiB(),
              resident.startToReadySeconds()));
    }
    Files.createDirectories(out);
    Files.writeString(out.resolve("bench-curve.csv"), csv(points, template));
    ImageIO.write(chart(points, template), "png", out.resolve("bench-curve.png").toFile());
    log.println(
        "wrote " + out.resolve("bench-curve.csv") + " and " + out.resolve("bench-curve.png"));
    return points;
  }

  /** {@code --curve 100,1000,5000}: the sizes, ascending. */
  public static List<Integer> sizes(String list) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : list.split(",")) {
      try {
        int n = Integer.parseInt(part.trim());
        if (n < 1) {
          throw new NumberFormatException();
        }
        sizes.add(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--curve: \"" + list + "\" is not a comma-separated list of positive numbers");
      }
    }
    return sizes.stream().sorted().toList();
  }

  static String csv(List<Point> points, BenchOptions template) {
    StringBuilder text =
        new StringBuilder(
            "resources,msPerRotation,callsPerRotation,k8sWritesPerRotation,speedup,"
                + "residentPeakHeapMiB,heapKiBPerResource,residentStartToReadySeconds,kube,latencyMs\n");
    for (Point p : points) {
      text.append(
          String.format(
              Locale.ROOT,
              "%d,%.3f,%.2f,%.2f,%.1f,%.1f,%.2f,%.2f,%s,%d%n",
              p.resources(),
              p.msPerRotation(),
              p.callsPerRotation(),
              p.k8sWritesPerRotation(),
              p.speedup(),
              p.residentPeakHeapMiB(),
              p.heapKiBPerResource(),
              p.startToReadySeconds(),
              template.kube(),
              template.latency().toMillis()));
    }
    return text.toString();
  }

  static BufferedImage chart(List<Point> points, BenchOptions template) {
    BufferedImage image = new BufferedImage(1000, 420, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    g.drawString(
        String.format(
            Locale.ROOT,
            "token-rotation-operator scaling (%s API server, %d ms per upstream call)",
            template.kube(),
            template.latency().toMillis()),
        20,
        22);
    panel(g, points, 20, "time per rotation (ms)", Point::msPerRotation, new Color(0x1f77b4));
    panel(
        g,
        points,
        510,
        "operator peak heap per resident resource (KiB)",
        Point::heapKiBPerResource,
        new Color(0xd62728));
    g.dispose();
    return image;
  }

  /** One line chart, N on a log-10 x axis, the value on a linear y axis from 0. */
  private static void panel(
      Graphics2D g,
      List<Point> points,
      int left,
      String title,
      ToDoubleFunction<Point> value,
      Color color) {
    int top = 50;
    int width = 470;
    int height = 330;
    int x0 = left + 55;
    int y0 = top + height - 30;
    int plotWidth = width - 75;
    int plotHeight = height - 60;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setColor(Color.BLACK);
    g.drawString(title, left + 55, top + 5);
    g.drawLine(x0, y0, x0 + plotWidth, y0);
    g.drawLine(x0, y0, x0, y0 - plotHeight);
    double minLog = Math.log10(points.stream().mapToInt(Point::resources).min().orElse(1));
    double maxLog = Math.log10(points.stream().mapToInt(Point::resources).max().orElse(10));
    if (maxLog - minLog < 1e-9) {
      maxLog = minLog + 1;
    }
    double maxValue = points.stream().mapToDouble(value).max().orElse(1) * 1.15;
    if (maxValue <= 0) {
      maxValue = 1;
    }
    for (int i = 0; i <= 4; i++) {
      double v = maxValue * i / 4;
      int y = y0 - (int) Math.round(plotHeight * i / 4.0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(x0 + 1, y, x0 + plotWidth, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, v >= 10 ? "%.0f" : "%.1f", v), left, y + 4);
    }
    int[] xs = new int[points.size()];
    int[] ys = new int[points.size()];
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      xs[i] =
          x0
              + (int)
                  Math.round(plotWidth * (Math.log10(p.resources()) - minLog) / (maxLog - minLog));
      ys[i] = y0 - (int) Math.round(plotHeight * value.applyAsDouble(p) / maxValue);
      g.setColor(Color.BLACK);
      g.drawString("N=" + p.resources(), xs[i] - 18, y0 + 16);
    }
    g.setColor(color);
    g.setStroke(new BasicStroke(2.5f));
    g.drawPolyline(xs, ys, xs.length);
    for (int i = 0; i < xs.length; i++) {
      g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
      g.drawString(
          String.format(Locale.ROOT, "%.2f", value.applyAsDouble(points.get(i))),
          xs[i] + 6,
          ys[i] - 6);
    }
    g.setStroke(new BasicStroke(1f));
  }
}
