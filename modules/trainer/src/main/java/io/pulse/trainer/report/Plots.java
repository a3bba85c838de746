package io.pulse.trainer.report;

import io.pulse.trainer.eval.Curve;
import io.pulse.trainer.eval.HeadEvaluation;
import io.pulse.trainer.train.EpochResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's PNG plots, drawn with XChart (headless). */
public final class Plots {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 480;
    private static final int MAX_POINTS = 400;

    private Plots() {
    }

    /** Train and validation loss per epoch (mean over heads), the kept epoch marked. Returns the file name. */
    public static String learningCurves(Path dir, List<EpochResult> epochs, int bestEpoch) throws IOException {
        XYChart chart = chart("Learning curves", "epoch", "mean log-loss over heads", Styler.LegendPosition.InsideNE);
        double[] x = new double[epochs.size()];
        double[] train = new double[epochs.size()];
        double[] validation = new double[epochs.size()];
        for (int i = 0; i < epochs.size(); i++) {
            x[i] = epochs.get(i).epoch();
            train[i] = epochs.get(i).train().mean();
            validation[i] = epochs.get(i).validation().mean();
        }
        chart.addSeries("train", x, train).setMarker(SeriesMarkers.CIRCLE);
        chart.addSeries("validation", x, validation).setMarker(SeriesMarkers.CIRCLE);
        if (bestEpoch > 0) {
            XYSeries best = chart.addSeries("kept (epoch " + bestEpoch + ")", new double[] {bestEpoch},
                    new double[] {validation[bestEpoch - 1]});
            best.setMarker(SeriesMarkers.DIAMOND);
            best.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        return save(chart, dir, "learning-curves.png");
    }

    /** ROC curves of a binary head, one line per scorer, with the chance diagonal. Null if there is none. */
    public static String roc(Path dir, HeadEvaluation head) throws IOException {
        if (head == null || head.roc().isEmpty()) {
            return null;
        }
        XYChart chart = chart(head.head() + ": ROC (test period)", "false positive rate", "true positive rate",
                Styler.LegendPosition.InsideSE);
        addCurves(chart, head.roc(), head, "roc_auc", "AUC");
        XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
        chance.setMarker(SeriesMarkers.NONE);
        chance.setLineColor(Color.LIGHT_GRAY);
        chance.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {4f, 4f}, 0f));
        return save(chart, dir, head.head() + "-roc.png");
    }

    /** Precision-recall curves of a binary head, one line per scorer. Null if there is none. */
    public static String precisionRecall(Path dir, HeadEvaluation head) throws IOException {
        if (head == null || head.pr().isEmpty()) {
            return null;
        }
        XYChart chart = chart(head.head() + ": precision-recall (test period)", "recall", "precision",
                Styler.LegendPosition.InsideNE);
        addCurves(chart, head.pr(), head, "average_precision", "AP");
        return save(chart, dir, head.head() + "-precision-recall.png");
    }

    private static void addCurves(XYChart chart, Map<String, Curve> curves, HeadEvaluation head, String metric,
            String label) {
        curves.forEach((name, curve) -> {
            Curve thin = curve.thinned(MAX_POINTS);
            XYSeries series = chart.addSeries(String.format(Locale.ROOT, "%s (%s %.3f)", name, label,
                    head.metric(name, metric)), thin.x(), thin.y());
            series.setMarker(SeriesMarkers.NONE);
        });
    }

    private static XYChart chart(String title, String x, String y, Styler.LegendPosition legend) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setMarkerSize(6);
        return chart;
    }

    private static String save(XYChart chart, Path dir, String fileName) throws IOException {
        BitmapEncoder.saveBitmap(chart, dir.resolve(fileName).toString(), BitmapEncoder.BitmapFormat.PNG);
        return fileName;
    }

    /** The plots of a report; file names relative to {@code dir}. */
    public static List<String> all(Path dir, TrainingReport report) throws IOException {
        List<String> files = new ArrayList<>();
        files.add(learningCurves(dir, report.network().epochs(), report.network().bestEpoch()));
        for (HeadEvaluation head : new HeadEvaluation[] {report.test().churn(), report.test().fraud()}) {
            String roc = roc(dir, head);
            String pr = precisionRecall(dir, head);
            if (roc != null) {
                files.add(roc);
            }
            if (pr != null) {
                files.add(pr);
            }
        }
        return files;
    }
}
