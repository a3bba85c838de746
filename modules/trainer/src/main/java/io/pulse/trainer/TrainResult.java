package io.pulse.trainer;

import io.pulse.contracts.ModelBundle;
import io.pulse.trainer.publish.Verdict;
import io.pulse.trainer.report.TrainingReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What a round produced. It owns the round's {@link io.pulse.trainer.data.TrainingData} (the report's), whose
 * sequences are on disk until {@link #close()} deletes them.
 *
 * @param bundle    the new bundle (with its test metrics)
 * @param outDir    the report directory
 * @param files     files written there
 * @param report    the report's content
 * @param verdict   the gate's decision
 * @param published whether the bundle was produced to the weights topic
 */
public record TrainResult(ModelBundle bundle, Path outDir, List<String> files, TrainingReport report,
        Verdict verdict, boolean published) implements AutoCloseable {

    public TrainResult {
        files = List.copyOf(files);
    }

    /** Deletes the round's sequences from disk (the report's figures stay readable). */
    @Override
    public void close() {
        report.data().close();
    }

    /** One paragraph for people: what was trained, how it did, where the report is, the verdict. */
    public String summary() {
        var test = report.test();
        return String.format(Locale.ROOT, "Trained %s %s on %d events of %d users in %.0f s (%d epochs, kept %d)."
                        + " Test next-action log-loss %.4f (Markov %.4f), churn log-loss %.4f / AUC %.3f (RFM %.4f / %.3f)."
                        + " Report: %s. Verdict: %s%s.",
                bundle.getName(), bundle.getVersion(), report.data().steps(), report.data().sequences().size(),
                report.network().seconds(), report.network().epochs().size(), report.network().bestEpoch(),
                test.nextAction().metric("model", "log_loss"), test.nextAction().metric("markov", "log_loss"),
                test.churn().metric("model", "log_loss"), test.churn().metric("model", "roc_auc"),
                test.churn().metric("rfm_logistic", "log_loss"), test.churn().metric("rfm_logistic", "roc_auc"),
                outDir.resolve("report.md"), verdict.reason(),
                published ? " - published" : verdict.publish() ? " - not published (--no-publish)" : "");
    }
}
