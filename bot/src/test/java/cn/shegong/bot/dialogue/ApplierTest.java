package cn.shegong.bot.dialogue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The applier runs writes before sends, and a lost race stops a step before anything else of it is done. */
class ApplierTest {

    final Applier applier = new Applier();

    @Test
    void writesComeBeforeSends() {
        List<String> order = new ArrayList<>();
        Step step = Step.after(() -> Reply.of("已受理"), Effect.send("notify", () -> order.add("send")),
                Effect.write("case.open", () -> order.add("write")));
        assertEquals("已受理", applier.apply(step).text());
        assertEquals(List.of("write", "send"), order);
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
