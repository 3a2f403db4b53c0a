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
 * Triage against evaluation files it was never trained on, with the floors committed to in
 * docs/benchmarks.md, so that a change to the data, the rules or the model that loses a person in
 * danger fails the build. The independent set was written by someone who never saw the training
 * data; the no-need set holds greetings, tests, adverts and noise.
 */
class TriageTest {

    static Triage triage;
    static List<LabelledText> independent;
    static List<LabelledText> noNeed;
    static List<LabelledText> heldout;

    @BeforeAll
    static void train() {
        triage = Triage.fromTemplates();
        independent = eval("independent");
        noNeed = eval("no-need");
        heldout = eval("heldout");
    }

    private static List<LabelledText> eval(String name) {
        return LabelledText.read(Triage.resource("triage/eval/" + name + ".tsv"), true);
    }

    @Test
    void theIndependentSetMeetsTheCommittedFloors() {
        Evaluation e = Evaluation.of(triage, independent);
        assertTrue(independent.size() >= 400 && e.urgentTrue() >= 100, "a set worth measuring on");
        assertTrue(e.urgentRecall() >= 0.95, "urgent recall " + e.urgentRecall() + ", missed " + e.missedUrgent());
        assertTrue(e.urgentPrecision() >= 0.80, "urgent precision " + e.urgentPrecision());
        assertTrue(e.macroF1() >= 0.85, "macro-F1 " + e.macroF1());
    }

    @Test
    void messagesWithNoNeedRarelyPageTheDutyWorker() {
        Evaluation e = Evaluation.of(triage, noNeed);
        assertTrue(noNeed.size() >= 200);
        assertTrue(e.urgentPredicted() <= noNeed.size() / 100, e.urgentPredicted() + " of " + noNeed.size() + " judged urgent");
    }

    @Test
    void theFirstHeldOutFileStillPasses() {
        Evaluation e = Evaluation.of(triage, heldout);
        assertTrue(e.urgentRecall() >= 0.95, "urgent recall " + e.urgentRecall() + ", missed " + e.missedUrgent());
        assertTrue(e.macroF1() >= 0.80, "macro-F1 " + e.macroF1());
    }

    /** Short stock phrases (你好, 收到) recur everywhere; anything longer must not be in both. */
    @Test
    void noEvaluationSentenceIsInTheTrainingData() {
        Set<String> training = new HashSet<>();
        Triage.trainingData().forEach(t -> training.add(SafetyRules.normalize(t.text())));
        for (List<LabelledText> set : List.of(independent, noNeed, heldout)) {
            for (LabelledText t : set) {
                String n = SafetyRules.normalize(t.text());
                assertFalse(n.length() >= 6 && training.contains(n), "leaked into training: " + t.id());
            }
        }
    }

    @Test
    void trainingIsReproducible() {
        Triage again = Triage.fromTemplates();
        for (LabelledText t : independent.subList(0, 30)) {
            assertEquals(triage.classify(t.text()), again.classify(t.text()), t.id());
        }
    }

    @Test
    void hardNegativesGreetingsAndBlankInput() {
        assertEquals(Category.POLICY, triage.classify("申请低保需要带什么材料").category(), "a question about 低保 is policy");
        assertEquals(Category.CHILDREN, triage.classify("孩子奶奶去世了 爸妈在外地打工 孩子现在没人照顾").category());
        for (String noNeedAtAll : List.of("你好，这是压测消息", "转发三个群领红包", "Hi there", "thanks!", "Good morning", "asdf qwer 1234")) {
            assertFalse(triage.classify(noNeedAtAll).urgent(), noNeedAtAll);
        }
        assertEquals(TriageResult.empty(), triage.classify("   "));
        assertArrayEquals(new String[0], CharNgrams.tokens("！？。 ，"));
    }

    @Test
    void safetyRulesCatchWhatTheModelMightNot() {
        Triage noData = Triage.train(List.of(new LabelledText("a", Category.OTHER, false, "你好"),
                new LabelledText("b", Category.POLICY, true, "zzzz")),
                SafetyRules.parse(List.of("孩子独自过夜: 娃娃 孩子 / 一个人 / 今晚 天黑 !! 如果")), List.of());
        assertTrue(noData.classify("娃娃才两岁 今晚一个人在家").urgent());
        assertFalse(noData.classify("如果娃娃今晚一个人在家怎么办").urgent(), "the words after ! rule it out");
        assertFalse(noData.classify("娃娃一个人在家写作业").urgent(), "every group must match");
    }

    /** Slang is taken out of a message, not allowed to cancel the danger beside it. */
    @Test
    void slangBesideADangerDoesNotHideIt() {
        SafetyRules rules = SafetyRules.fromTemplates();
        for (String danger : List.of("我想死，我活着没意思", "好累，累死了，不想活了", "气死我了，不想活了", "他上次打我，今天又拿刀")) {
            assertTrue(rules.match(danger).isPresent(), danger);
        }
        for (String slang : List.of("想死你了 好久没见", "饿死了 中午吃啥子", "去年家里着火了 现在想申请补贴")) {
            assertFalse(rules.match(slang).isPresent(), slang);
        }
    }

    @Test
    void explainNamesTheRuleAndTheStrongestWords() {
        Triage.Explanation why = triage.explain("我家老人摔倒在地上起不来 家里没有人");
        assertTrue(why.result().urgent());
        assertTrue(why.rules().contains("摔倒昏迷起不来"), why.rules().toString());
        assertFalse(why.strongest().isEmpty());
    }
}
