package dev.sagaplatform.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The benchmark's figures as text on the terminal, as JSON, as a Markdown report, and as a PNG plot. */
public final class BenchReport {

    private final BenchResult result;

    public BenchReport(BenchResult result) {
        this.result = result;
    }

    /** The table people read: every rate with its ratio to C. */
    public String text() {
        StringBuilder out = new StringBuilder();
        double c = result.ceilingPerSecond();
        out.append(String.format(Locale.ROOT, "Ceiling C (PostgreSQL alone, one saga's transaction mix): %.0f sagas/s%n", c));
        result.sustained().forEach((flow, rate) -> out.append(String.format(Locale.ROOT,
                "Sustained %-13s %6.1f sagas/s  = %.3f C%n", flow, rate, result.ratio(rate))));
        out.append(String.format(Locale.ROOT, "%n%-9s %-13s %8s %8s %7s %9s %8s %8s %8s %6s %s%n", "step", "flow", "offered",
                "x C", "done/s", "refused", "TIMEDOUT", "p50 ms", "p99 ms", "held", "CPU ms/saga"));
        for (Step step : result.steps()) {
            out.append(String.format(Locale.ROOT, "%-9s %-13s %8.1f %8.3f %7.1f %9d %8d %8.0f %8.0f %6s %.1f%n", step.purpose(),
                    step.flow(), step.offered(), result.ratio(step.offered()), step.completedPerSecond(), step.refused(), step.timedOut(),
                    step.sagaP50(), step.sagaP99(), step.held() ? "yes" : "no", step.totalCpuMillisPerSaga()));
        }
        out.append(String.format(Locale.ROOT, "%nIdle CPU: %.1f %% of one core in all: %s%n", result.idleCpuTotal(), percent(result.idleCpuPercent())));
        out.append(String.format(Locale.ROOT, "Resident memory: %d MiB in all: %s%n", result.residentTotal(), result.residentMiB()));
        result.steps().stream().filter(step -> step.purpose().equals("search") && step.held())
                .reduce((first, second) -> second)
                .ifPresent(step -> out.append("CPU per saga at the highest sustained step (" + step.flow() + ", "
                        + step.offered() + "/s): " + step.cpuMillisPerSaga() + " ms\n"));
        out.append("\nTargets:\n");
        result.targets().forEach((target, verdict) -> out.append("  ").append(target).append(": ").append(verdict).append('\n'));
        return out.toString();
    }

    public void print(PrintStream out) {
        out.print(text());
    }

    /** Writes bench.json, bench.md and bench.png into {@code folder}; returns what could not be written. */
    public List<String> write(Path folder) {
        List<String> problems = new ArrayList<>();
        try {
            Files.createDirectories(folder);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("bench.json").toFile(), result);
            Files.writeString(folder.resolve("bench.md"), markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add("cannot write the report into " + folder + ": " + e.getMessage());
        }
        try {
            plot(folder.resolve("bench.png"));
        } catch (IOException | RuntimeException | Error e) {
            // A JDK without fonts or AWT libraries cannot draw text; the figures are in the JSON and Markdown anyway.
            problems.add("no plot (" + e + ")");
        }
        return problems;
    }

    String markdown() {
        return "# ./platform bench, " + result.startedAt() + "\n\n" + result.machine() + "\n\n```\n" + text() + "```\n\n![goodput and p99 against offered load](bench.png)\n";
    }

    void plot(Path png) throws IOException {
        NumberAxis offered = new NumberAxis("offered orders/s");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(offered);
        plot.add(subplot("completed sagas/s", Step::completedPerSecond, true), 1);
        plot.add(subplot("saga p99 ms", Step::sagaP99, false), 1);
        JFreeChart chart = new JFreeChart("Goodput and p99 against offered load (C = " + Math.round(result.ceilingPerSecond()) + "/s)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 700);
    }

    /** One point per step, one colour per flow in both subplots; the legend once, under the chart. */
    private XYPlot subplot(String label, java.util.function.ToDoubleFunction<Step> value, boolean inLegend) {
        XYSeriesCollection series = new XYSeriesCollection();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setDefaultStroke(new BasicStroke(2f));
        Color[] colours = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4), new Color(0x2C, 0xA0, 0x2C)};
        int index = 0;
        for (String flow : new TreeSet<>(result.steps().stream().map(Step::flow).toList())) {
            XYSeries line = new XYSeries(flow);
            result.steps().stream().filter(step -> step.flow().equals(flow)).forEach(step -> line.add(step.offered(), value.applyAsDouble(step)));
            series.addSeries(line);
            renderer.setSeriesPaint(index, colours[index % colours.length]);
            renderer.setSeriesShape(index, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
            renderer.setSeriesVisibleInLegend(index, inLegend);
            index++;
        }
        XYPlot subplot = new XYPlot(series, null, new NumberAxis(label), renderer);
        subplot.setBackgroundPaint(Color.WHITE);
        subplot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        subplot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return subplot;
    }

    private static String percent(Map<String, Double> values) {
        StringBuilder text = new StringBuilder();
        values.forEach((name, value) -> text.append(text.length() == 0 ? "" : ", ").append(name)
                .append(String.format(Locale.ROOT, " %.1f%%", value)));
        return text.toString();
    }
}
