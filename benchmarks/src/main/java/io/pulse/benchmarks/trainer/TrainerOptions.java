package io.pulse.benchmarks.trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one trainer benchmark run does. {@link #parse} starts from the full configuration (all days, 2 epochs) or,
 * with {@code --quick}, the reduced one (the first 30 days, 1 epoch); explicit flags win over both.
 *
 * @param quick       whether the reduced defaults apply (recorded in the report)
 * @param data        a CSV log: a file or a directory of {@code *.csv[.gz]} files read in name order
 * @param mapping     its column mapping ({@code io.pulse.simulator.replay.ColumnMapping})
 * @param days        only the first this many files of the directory (one file per day for the fraud data); null
 *                    for all
 * @param epochs      epochs to run; patience is set to the same number so early stopping cannot end the run sooner
 * @param hidden      LSTM units
 * @param seed        DL4J's seed and the minibatch order
 * @param ompThreads  run DL4J with this {@code OMP_NUM_THREADS}: when the environment differs, the benchmark runs in a
 *                    child JVM with it set (OpenMP reads it once, at native start-up); 0 leaves the environment as is
 * @param out         the markdown file whose trainer block is written
 * @param trainOut    where the training round's own report and bundle go; null for a temporary directory that is
 *                    deleted at the end
 * @param command     the command line recorded in the report as the way to reproduce it
 */
public record TrainerOptions(boolean quick, Path data, String mapping, Integer days, int epochs, int hidden, long seed,
        int ompThreads, Path out, Path trainOut, String command) {

    /** The fraud data set, relative to the repository root (where {@code ./pulse} runs). */
    public static final Path DEFAULT_DATA = Path.of("..", "shared", "datasets", "fraud-transactions");
    /** The fraud data set's column mapping, from its README. */
    public static final String FRAUD_MAPPING = "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,"
            + "type=const:PAYMENT,item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD,attr.terminal=TERMINAL_ID";
    public static final int DEFAULT_EPOCHS = 2;
    public static final int QUICK_DAYS = 30;
    public static final int QUICK_EPOCHS = 1;
    public static final Path DEFAULT_OUT = Path.of("benchmarks", "RESULTS.md");
    public static final Path QUICK_OUT = Path.of("benchmarks", "RESULTS-quick.md");
    static final String MAIN = "java -cp \"benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)\" "
            + TrainerBenchmark.class.getName();

    public TrainerOptions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(command, "command");
        if (days != null && days < 1) {
            throw new IllegalArgumentException("--days must be at least 1, got " + days);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("--hidden must be at least 1, got " + hidden);
        }
        if (ompThreads < 0) {
            throw new IllegalArgumentException("--omp-threads must be 0 (leave the environment) or more, got "
                    + ompThreads);
        }
    }

    /** The usage text. */
    public static String usage() {
        return String.join("\n",
                "usage: TrainerBenchmark [--quick] [--data DIR|FILE] [--map MAPPING] [--days N] [--epochs N]",
                "                        [--hidden N] [--seed S] [--omp-threads N] [--out FILE] [--train-out DIR]",
                "  --quick          the first " + QUICK_DAYS + " days, " + QUICK_EPOCHS + " epoch, --out "
                        + QUICK_OUT + " (explicit flags win)",
                "  --data           CSV log, a file or a directory (default " + DEFAULT_DATA + ")",
                "  --map            its column mapping (default: the fraud data set's)",
                "  --days N         only the first N files of the directory, in name order (default: all)",
                "  --epochs N       epochs, run to the end: patience = N (default " + DEFAULT_EPOCHS + ")",
                "  --hidden N       LSTM units (default 64)",
                "  --seed S         DL4J seed and minibatch order (default 1)",
                "  --omp-threads N  OMP_NUM_THREADS for DL4J, via a child JVM if the environment differs; 0 = leave"
                        + " it (default 1)",
                "  --out FILE       markdown file whose <!-- trainer:begin --> block is replaced or appended"
                        + " (default " + DEFAULT_OUT + ")",
                "  --train-out DIR  keep the training round's report and bundle there (default: a temporary"
                        + " directory, deleted)",
                "  --command TEXT   the command recorded in the report (default: the java command line)");
    }

    /**
     * Parses the flags of {@link #usage()}.
     *
     * @throws IllegalArgumentException on an unknown flag, a missing value or an invalid number
     */
    public static TrainerOptions parse(String... args) {
        boolean quick = false;
        Path data = DEFAULT_DATA;
        String mapping = FRAUD_MAPPING;
        Integer days = null;
        Integer epochs = null;
        int hidden = 64;
        long seed = 1;
        int omp = 1;
        Path out = null;
        Path trainOut = null;
        String command = null;
        List<String> recorded = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                quick = true;
                recorded.add(flag);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value"
                        : "unexpected argument " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--data" -> data = Path.of(value);
                case "--map" -> mapping = value;
                case "--days" -> days = number(flag, value);
                case "--epochs" -> epochs = number(flag, value);
                case "--hidden" -> hidden = number(flag, value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--omp-threads" -> omp = number(flag, value);
                case "--out" -> out = Path.of(value);
                case "--train-out" -> trainOut = Path.of(value);
                case "--command" -> command = value;
                default -> throw new IllegalArgumentException("unknown flag " + flag + "\n" + usage());
            }
            if (!flag.equals("--command")) {
                recorded.add(flag);
                recorded.add(value.contains(" ") || value.contains(",") ? "'" + value + "'" : value);
            }
        }
        if (quick && days == null) {
            days = QUICK_DAYS;
        }
        int epochCount = epochs != null ? epochs : quick ? QUICK_EPOCHS : DEFAULT_EPOCHS;
        Path report = out != null ? out : quick ? QUICK_OUT : DEFAULT_OUT;
        String line = command != null ? command
                : recorded.isEmpty() ? MAIN : MAIN + " " + String.join(" ", recorded);
        return new TrainerOptions(quick, data, mapping, days, epochCount, hidden, seed, omp, report, trainOut, line);
    }

    private static int number(String flag, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got " + value, e);
        }
    }
}
