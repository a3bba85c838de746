package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pulse train --entity} on a fraud log in the handbook's layout, read with the same column mapping
 * {@code pulse replay} takes ({@code attr.terminal=TERMINAL_ID}): the bundle's feature spec declares the terminal, and
 * the terminal's delayed risk was computed from labels at their arrival (7 days after their transaction, the CSV
 * source's default), so it is not zero on the training period.
 */
class TrainEntitiesCommandTest {

    private static final String MAPPING = "user=CUSTOMER_ID,time=TX_DATETIME:yyyy-MM-dd HH:mm:ss,type=const:PAYMENT,"
            + "item=TERMINAL_ID,amount=TX_AMOUNT,label=TX_FRAUD,attr.terminal=TERMINAL_ID";

    @TempDir
    Path dir;

    @Test
    void shouldDeclareTheEntityInTheTrainedBundlesFeatureSpec() throws IOException {
        Path csv = dir.resolve("transactions.csv");
        writeTransactions(csv, 40, 8, 30);
        StringWriter err = new StringWriter();

        int exit = Pulse.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("train", "--source", "csv", "--csv", csv.toString(), "--map", MAPPING, "--no-publish",
                        "--hidden", "8", "--epochs", "1", "--churn-horizon", "3d",
                        "--out", dir.resolve("out").toString(),
                        "--entity", "terminal=attr.terminal:horizons=1d,7d,30d:delay=7d");

        assertThat(exit).as("stderr: %s", err).isZero();
        Path bundleFile;
        try (Stream<Path> files = Files.walk(dir.resolve("out"))) {
            bundleFile = files.filter(p -> p.getFileName().toString().equals("model.bundle")).findFirst()
                    .orElseThrow();
        }
        ModelBundle bundle = ModelBundles.read(bundleFile);
        FeatureSpec spec = FeatureSpec.fromJson(bundle.getFeatureSpec());
        EntityWindowSpec terminal = EntityWindowSpec.daily("terminal");
        assertThat(spec.entities()).containsExactly(terminal);
        assertThat(spec.inputSize()).isEqualTo(FeatureSpec.v1().inputSize() + terminal.featureCount());
        assertThat(bundle.getArchitecture().getInputSize()).isEqualTo(spec.lstmInputSize());
        assertThat(bundle.getProvenance().getConfig()).containsEntry("entities",
                "terminal=attr.terminal:horizons=PT24H,PT168H,PT720H:delay=PT168H:bucket=PT24H");
        // the normalisation saw the terminal's risk: labels reached the replay, each after its 7-day delay
        assertThat(spec.mean()[spec.names().indexOf("terminal_risk_7d")]).isPositive();
        assertThat(spec.mean()[spec.names().indexOf("terminal_missing")]).isZero();
        // the bundle runs as the pipeline would load it
        assertThat(ModelBundles.toModel(bundle).featureSpec().entities()).containsExactly(terminal);
    }

    /**
     * Customers pay at random terminals about twice a day; terminal 7 is compromised on days 3 to 12 (every payment
     * there is a fraud), as in the handbook's second scenario.
     */
    private static void writeTransactions(Path csv, int customers, int terminals, int days) throws IOException {
        Random random = new Random(14);
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
        LocalDateTime start = LocalDateTime.of(2018, 4, 1, 0, 0);
        List<String[]> rows = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            for (int customer = 0; customer < customers; customer++) {
                int payments = random.nextInt(4);
                for (int p = 0; p < payments; p++) {
                    LocalDateTime at = start.plusDays(day).plusSeconds(random.nextInt(86_400));
                    int terminal = random.nextInt(terminals);
                    boolean fraud = terminal == 7 && day >= 3 && day <= 12;
                    rows.add(new String[] {format.format(at), String.format(Locale.ROOT, "%d,%d,%.2f,%d", customer,
                            terminal, 5 + 100 * random.nextDouble(), fraud ? 1 : 0)});
                }
            }
        }
        rows.sort(Comparator.comparing(row -> row[0])); // the log is in time order, as the handbook's files are
        try (Writer out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT,TX_FRAUD\n");
            for (int id = 0; id < rows.size(); id++) {
                out.write(id + "," + rows.get(id)[0] + "," + rows.get(id)[1] + "\n");
            }
        }
    }
}
