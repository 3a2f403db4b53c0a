package cn.shegong.bot.dialogue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The applier runs writes before sends and says whether the answer follows a change: the webhook
 * then waits for the change to be on disk before WeChat gets the answer.
 */
class ApplierTest {

    final Applier applier = new Applier();

    @Test
    void anAnswerThatChangedNothingIsNotWaitedFor() {
        Reply r = applier.apply(Step.answer(Reply.of("您好")));
        assertEquals("您好", r.text());
        assertFalse(r.changed());
    }

    @Test
    void writesComeBeforeSendsAndTheAnswerSaysSomethingChanged() {
        List<String> order = new ArrayList<>();
        Step step = Step.after(() -> Reply.of("已受理"), Effect.send("notify", () -> order.add("send")),
                Effect.write("case.open", () -> order.add("write")));
        Reply r = applier.apply(step);
        assertEquals(List.of("write", "send"), order);
        assertTrue(r.changed());
    }

    @Test
    void aLostRaceStopsTheStepAndGivesItsOtherAnswer() {
        List<String> order = new ArrayList<>();
        Step step = Step.after(() -> Reply.of("已接受"), Effect.guarded("case.accept", () -> false),
                Effect.send("notify", () -> order.add("send"))).orIfLost(() -> Reply.of("已被别人接受"));
        assertEquals("已被别人接受", applier.apply(step).text());
        assertEquals(List.of(), order, "nothing after the lost write");
    }
}
