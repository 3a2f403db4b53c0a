package cn.shegong.bot.triage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import cn.shegong.core.casework.Category;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Triage against the held-out file (never trained on), with the thresholds committed to in
 * docs/benchmarks.md: macro-F1 at least 0.85 and urgent recall at least 0.95.
 */
class TriageTest {

    static Triage triage;
    static List<LabelledText> heldout;

    @BeforeAll
    static void train() {
        triage = Triage.fromTemplates();
        heldout = LabelledText.read(Triage.resource("triage/heldout.tsv"), true);
    }

    @Test
    void heldOutMeetsTheCommittedThresholds() {
        Evaluation e = Evaluation.of(triage, heldout);
        assertTrue(e.macroF1() >= 0.85, "macro-F1 " + e.macroF1());
        assertTrue(e.urgentRecall() >= 0.95, "urgent recall " + e.urgentRecall() + ", missed " + e.missedUrgent());
        assertTrue(heldout.size() >= 100, "a held-out file worth measuring on");
    }

    @Test
    void theHeldOutFileSharesNoSentenceWithTheTrainingData() {
        Set<String> training = new HashSet<>();
        Triage.trainingData().forEach(t -> training.add(String.join("", CharNgrams.tokens(t.text()))));
        for (LabelledText t : heldout) {
            assertFalse(training.contains(String.join("", CharNgrams.tokens(t.text()))), "leaked into training: " + t.id());
        }
    }

    @Test
    void trainingIsReproducible() {
        Triage again = Triage.fromTemplates();
        for (LabelledText t : heldout.subList(0, 20)) {
            TriageResult a = triage.classify(t.text());
            TriageResult b = again.classify(t.text());
            assertEquals(a, b, t.id());
        }
    }

    @Test
    void hardNegativesAndBlankInput() {
        assertEquals(Category.POLICY, triage.classify("申请低保需要带什么材料").category(), "a question about 低保 is policy");
        assertEquals(Category.CHILDREN, triage.classify("孩子奶奶去世了 爸妈在外地打工 孩子现在没人照顾").category());
        TriageResult blank = triage.classify("   ");
        assertEquals(new TriageResult(Category.OTHER, false, 0, List.of(Category.OTHER)), blank);
        assertArrayEquals(new String[0], CharNgrams.tokens("！？。 ，"));
    }

    @Test
    void theSafetyNetCatchesWhatTheModelMightNot() {
        Triage noData = Triage.train(List.of(new LabelledText("a", Category.OTHER, false, "你好"),
                new LabelledText("b", Category.POLICY, true, "低保标准")), List.of("不想活"), List.of());
        assertTrue(noData.classify("我真的不想活了").urgent());
    }
}
