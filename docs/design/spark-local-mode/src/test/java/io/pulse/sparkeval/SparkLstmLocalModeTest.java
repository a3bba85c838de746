package io.pulse.sparkeval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** DL4J's Spark training (parameter averaging) of a Pulse-shaped LSTM graph on Spark local[2]: the loss goes down. */
class SparkLstmLocalModeTest {

    @Test
    void parameterAveragingOnLocalSparkLowersTheLossAndReturnsTheParameters() {
        try (JavaSparkContext sc = new JavaSparkContext(SparkLstmEval.localConf(2))) {
            SparkLstmEval.Result r = SparkLstmEval.run(sc, 32, 16, 12, 32, 6, 20, 2, 4);
            System.out.println("RESULT " + r);
            assertEquals(2, r.scoreAfterEpoch().size());
            assertTrue(r.paramsChangedL2() > 0, "parameters came back unchanged");
            assertTrue(r.scoreAfterEpoch().get(1) < r.scoreBefore() * 0.95,
                    "loss did not go down: " + r.scoreBefore() + " -> " + r.scoreAfterEpoch());
        }
    }
}
