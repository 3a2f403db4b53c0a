package cn.shegong.core.routing;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

import cn.shegong.core.casework.Category;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules as a city admin writes them, the working-day calendar, and the limits built on it. */
class RoutingRulesTest {

    final WorkCalendar calendar = new WorkCalendar();

    @Test
    void theFirstMatchingRuleTakesARequestAndTheDefaultsRouteEverything() {
        RoutingRules rules = RoutingRules.parse(RoutingRules.defaultsText());
        assertEquals("紧急求助", rules.match(Optional.of("530521103"), Category.CHILDREN, true).name(), "urgent first");
        assertEquals("儿童关爱", rules.match(Optional.of("530521103"), Category.CHILDREN, false).name());
        assertEquals("低保、特困、临时救助", rules.match(Optional.empty(), Category.LINSHI, false).name());
        assertEquals("其他求助", rules.match(Optional.empty(), Category.ELDERLY, false).name());

        RoutingRules county = RoutingRules.parse("""
                rules:
                  - name: 施甸县的心理疏导
                    when: {counties: ["530521"], categories: [mental]}
                    station: "530521101"
                    choose: head
                    deadlines: {assign: PT1H, accept: PT2H, first_contact: 1wd, close: 10wd}
                  - name: 其他
                    choose: round_robin
                    deadlines: {assign: 1wd, accept: 1wd, first_contact: 1wd, close: 20wd}
                """);
        RoutingRules.Rule r = county.match(Optional.of("530521103"), Category.MENTAL, false);
        assertEquals(Optional.of("530521101"), r.station());
        assertEquals(RoutingRules.Choose.HEAD, r.choose());
        assertEquals("其他", county.match(Optional.of("530581001"), Category.MENTAL, false).name(), "another county");
        assertEquals("其他", county.match(Optional.empty(), Category.MENTAL, false).name(), "an unknown place matches no county");
    }

    @Test
    void aMalformedRuleIsRefusedWithAReasonAnAdminCanActOn() {
        String unknownCategory = "rules:\n  - name: x\n    when: {categories: [food]}\n    deadlines: {assign: 1wd, accept: 1wd, first_contact: 1wd, close: 1wd}\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoutingRules.parse(unknownCategory)).getMessage().contains("food"));
        String badLimit = "rules:\n  - name: x\n    deadlines: {assign: tomorrow, accept: 1wd, first_contact: 1wd, close: 1wd}\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoutingRules.parse(badLimit)).getMessage().contains("deadlines.assign"));
        String notEverything = "rules:\n  - name: x\n    when: {urgent: true}\n    deadlines: {assign: 1wd, accept: 1wd, first_contact: 1wd, close: 1wd}\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RoutingRules.parse(notEverything)).getMessage().contains("last rule"));
        assertThrows(IllegalArgumentException.class, () -> RoutingRules.parse("rules: ["));
        assertThrows(IllegalArgumentException.class, () -> RoutingRules.parse(""));
    }

    @Test
    void workingDaysSkipHolidaysAndCountAdjustedWorkingWeekends() {
        assertFalse(calendar.isWorkingDay(LocalDate.of(2026, 10, 1)), "国庆");
        assertTrue(calendar.isWorkingDay(LocalDate.of(2026, 10, 10)), "a Saturday made a working day");
        assertFalse(calendar.isWorkingDay(LocalDate.of(2026, 10, 11)), "an ordinary Sunday");
        assertEquals(LocalDate.of(2026, 10, 8), calendar.plusWorkingDays(LocalDate.of(2026, 9, 30), 1), "over the whole holiday");
        assertEquals(LocalDate.of(2026, 10, 10), calendar.plusWorkingDays(LocalDate.of(2026, 10, 9), 1), "Friday → the working Saturday");
        assertEquals(LocalDate.of(2026, 2, 24), calendar.plusWorkingDays(LocalDate.of(2026, 2, 13), 2), "春节: 14 Feb (Sat) works, then the 24th");
        assertTrue(calendar.covers(LocalDate.of(2026, 12, 31)));
        assertFalse(calendar.covers(LocalDate.of(2027, 1, 4)), "2027 is not published yet: the console warns");
        assertEquals(LocalDate.of(2027, 1, 4), calendar.plusWorkingDays(LocalDate.of(2026, 12, 31), 2), "Mon–Fri where unknown");
    }

    @Test
    void aLimitInWorkingDaysEndsAtSixInTheEveningAndOneInHoursRunsThroughTheNight() {
        Instant fridayAfternoon = Instant.parse("2026-11-27T08:00:00Z"); // 16:00 in Baoshan
        assertEquals(Instant.parse("2026-11-30T10:00:00Z"), Limit.parse("1wd").due(fridayAfternoon, calendar), "Monday 18:00");
        assertEquals(Instant.parse("2026-11-27T10:00:00Z"), Limit.parse("PT2H").due(fridayAfternoon, calendar));
        assertThrows(IllegalArgumentException.class, () -> Limit.parse("0wd"));
        assertThrows(IllegalArgumentException.class, () -> Limit.parse("-PT1H"));
    }
}
