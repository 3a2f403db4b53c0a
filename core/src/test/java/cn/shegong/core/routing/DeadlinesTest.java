package cn.shegong.core.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep reads a request only when something about it may be due: until then it is quiet, and
 * never for longer than its next step needs — nor than {@link Deadlines#RECHECK}.
 */
class DeadlinesTest {

    static final Areas AREAS = Areas.baoshan();
    static final Instant MONDAY_9AM = Instant.parse("2026-11-30T01:00:00Z");
    /** The urgent rule's promises: assigned in 15 minutes, accepted in 30, first contact in 2 hours. */
    static final RoutingRules.Rule URGENT = rule(Map.of(RoutingRules.Step.ASSIGN, "PT15M", RoutingRules.Step.ACCEPT, "PT30M",
            RoutingRules.Step.FIRST_CONTACT, "PT2H", RoutingRules.Step.CLOSE, "10wd"));
    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    CaseStore cases;
    DeadlineStore tracks;
    final Deadlines deadlines = new Deadlines(new WorkCalendar());

    @BeforeEach
    void fresh() {
        var db = mongo.fresh("deadlines_test");
        cases = new CaseStore(db, new FieldCipher(new byte[32]), AREAS);
        tracks = new DeadlineStore(db);
        tracks.ensureIndexes();
    }

    @Test
    void aRequestIsQuietUntilItsFirstStepTurnsAmberThenUntilItIsLate() {
        Case c = opened(URGENT);
        Instant quiet = deadlines.quietUntil(c, tracks.find(c.id()).orElseThrow(), MONDAY_9AM);
        assertEquals(MONDAY_9AM.plus(Duration.ofSeconds(675)), quiet, "three quarters of 15 minutes to assign it");

        Instant amber = quiet.plusSeconds(1);
        assertTrue(tracks.claim(c.id(), RoutingRules.Step.ASSIGN, 1)); // the sweep warned about it
        assertEquals(MONDAY_9AM.plus(Duration.ofMinutes(15)), deadlines.quietUntil(c, tracks.find(c.id()).orElseThrow(), amber),
                "next: when assigning it is late");
    }

    @Test
    void aRequestRoutedLateWithAStepAlreadyPastItsTimeIsDueAtOnce() {
        Case c = opened(URGENT);
        Instant late = MONDAY_9AM.plus(Duration.ofMinutes(20)); // assigning it was due at 9:15, and nobody has been told
        assertEquals(late, deadlines.quietUntil(c, DeadlineStore.Track.routedBy(c.id(), URGENT), late));
        DeadlineStore.Track told = tracks.find(c.id()).orElseThrow().raisedTo(deadlines.of(c, tracks.find(c.id()).orElseThrow(), late));
        assertEquals(MONDAY_9AM.plus(Duration.ofMinutes(30)), deadlines.quietUntil(c, told, late), "once told it is late: the county, at 9:30");
    }

    @Test
    void acceptingCountsAsIfItCouldStartAtAnyMomentAndNoRequestIsQuietPastTheRecheck() {
        Case c = opened(rule(Map.of(RoutingRules.Step.ASSIGN, "PT15M", RoutingRules.Step.ACCEPT, "PT10M",
                RoutingRules.Step.FIRST_CONTACT, "PT2H", RoutingRules.Step.CLOSE, "10wd")));
        Instant later = MONDAY_9AM.plus(Duration.ofHours(4)); // assigning it and first contact: gone up to the county
        assertTrue(tracks.claim(c.id(), RoutingRules.Step.ASSIGN, 3));
        assertTrue(tracks.claim(c.id(), RoutingRules.Step.FIRST_CONTACT, 3));
        assertEquals(later.plus(Duration.ofMinutes(10).multipliedBy(3).dividedBy(4)),
                deadlines.quietUntil(c, tracks.find(c.id()).orElseThrow(), later), "were it assigned now, accepting it would start");

        Case slow = opened(rule(Map.of(RoutingRules.Step.ASSIGN, "5wd", RoutingRules.Step.ACCEPT, "5wd",
                RoutingRules.Step.FIRST_CONTACT, "5wd", RoutingRules.Step.CLOSE, "30wd")));
        assertEquals(MONDAY_9AM.plus(Deadlines.RECHECK), deadlines.quietUntil(slow, tracks.find(slow.id()).orElseThrow(), MONDAY_9AM));
    }

    @Test
    void theSweepReadsNoQuietRequestUntilItsTimeOrUntilItIsWoken() {
        Case c = opened(URGENT);
        assertEquals(List.of(c.id()), ids(tracks.due(MONDAY_9AM)), "not looked at yet");
        Instant until = MONDAY_9AM.plus(Duration.ofMinutes(10));
        tracks.quiet(c.id(), until);
        assertTrue(ids(tracks.due(until.minusSeconds(1))).isEmpty());
        assertEquals(List.of(c.id()), ids(tracks.due(until)));
        assertEquals(List.of(c.id()), ids(tracks.due(until.minus(Deadlines.RECHECK).minusSeconds(1))), "a clock set back");
        tracks.wake(c.id()); // sent back to the inbox
        assertEquals(List.of(c.id()), ids(tracks.due(MONDAY_9AM)));
        tracks.quiet(c.id(), until);
        tracks.routed(c.id(), URGENT, true, Optional.empty()); // routed again, by a rule with other limits
        assertFalse(ids(tracks.due(MONDAY_9AM)).isEmpty());
    }

    private Case opened(RoutingRules.Rule rule) {
        Case c = cases.create(new CaseStore.NewCase("o-" + System.nanoTime(), Category.OTHER, true, AREAS.byCode("530521103"),
                Optional.empty(), Optional.empty(), "", false), MONDAY_9AM);
        tracks.open(c.id(), MONDAY_9AM);
        tracks.routed(c.id(), rule, true, Optional.empty());
        return c;
    }

    private static List<String> ids(List<DeadlineStore.Track> due) {
        return due.stream().map(DeadlineStore.Track::caseId).toList();
    }

    private static RoutingRules.Rule rule(Map<RoutingRules.Step, String> limits) {
        Map<RoutingRules.Step, Limit> parsed = new java.util.EnumMap<>(RoutingRules.Step.class);
        limits.forEach((step, text) -> parsed.put(step, Limit.parse(text)));
        return new RoutingRules.Rule("test", new RoutingRules.When(List.of(), List.of(), List.of(), Optional.empty()), Optional.empty(),
                RoutingRules.Choose.LEAST_LOADED, Optional.empty(), parsed);
    }
}
