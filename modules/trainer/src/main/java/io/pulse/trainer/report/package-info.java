/**
 * The report of a training round, written to its output directory: {@code report.json}, {@code report.md} (model,
 * current model, baselines and the Bayes row side by side per head) and PNG plots (learning curves, ROC and
 * precision-recall curves) drawn with XChart.
 */
package io.pulse.trainer.report;
