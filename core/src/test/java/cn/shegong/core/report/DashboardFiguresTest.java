package cn.shegong.core.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The dashboard's counts against requests built to give known numbers, in and out of the area and the eight weeks. */
class DashboardFiguresTest {

    static final Areas AREAS = Areas.baoshan();
    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @Test
    void todaysRequestsWeeksAndMissedDeadlinesAreCounted() {
        var db = mongo.fresh("dashboard_test");
        CaseStore cases = new CaseStore(db, new FieldCipher(new byte[32]), AREAS);
        Instant monday = Instant.parse("2026-11-30T01:00:00Z"); // Monday 09:00 in Baoshan
        open(cases, Category.ELDERLY, true, "530521103", monday); // new today, urgent, waiting
        Case lastWeek = open(cases, Category.DIBAO, false, "530521103", monday.minus(Duration.ofDays(3)));
        cases.assignment().assign(lastWeek.id(), 0, "530521103", Optional.of("w1"), Optional.of("赵"), monday.minus(Duration.ofDays(2)));
        cases.addEvent(lastWeek.id(), "deadline_missed", "first_contact", monday.minus(Duration.ofDays(1)));
        Case old = open(cases, Category.DIBAO, false, "530521103", monday.minus(Duration.ofDays(90))); // before the eight weeks, still open
        cases.addEvent(old.id(), "deadline_missed", "close", monday.minus(Duration.ofDays(30)));
        Case closed = open(cases, Category.LINSHI, false, "530521103", monday.minus(Duration.ofDays(10)));
        cases.changeStatus(closed.id(), 0, Case.Status.CLOSED, "closed", "admin", monday.minus(Duration.ofDays(9)));
        cases.rate(closed.id(), 4, monday.minus(Duration.ofDays(9)));
        open(cases, Category.ELDERLY, true, "530502001", monday); // another county

        DashboardFigures.Today d = new DashboardFigures(db).of(Optional.of("530521"), Optional.empty(), LocalDate.of(2026, 11, 30));
        assertEquals(1, d.newToday());
        assertEquals(2, d.waiting(), "today's and the old one: nobody has them");
        assertEquals(1, d.urgentOpen());
        assertEquals(2, d.overdueOpen(), "open with a deadline missed");
        assertEquals(1, d.missedThisWeek(), "the old miss is a month ago");
        assertEquals(8, d.weeks().size());
        assertEquals(Map.of("elderly", 1), d.weeks().get(LocalDate.of(2026, 11, 30)));
        assertEquals(Map.of("dibao", 1), d.weeks().get(LocalDate.of(2026, 11, 23)));
        assertEquals(Map.of("linshi", 1), d.weeks().get(LocalDate.of(2026, 11, 16)));
        assertEquals(Optional.of(4.0), d.averageRating());
    }

    private static Case open(CaseStore cases, Category category, boolean urgent, String township, Instant at) {
        return cases.create(new CaseStore.NewCase("o-" + System.nanoTime(), category, urgent, AREAS.byCode(township), Optional.empty(),
                Optional.empty(), "", false), at);
    }
}
