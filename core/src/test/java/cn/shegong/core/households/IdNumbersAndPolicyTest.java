package cn.shegong.core.households;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.households.IdNumbers.Problem;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ID numbers as spreadsheets and people give them, and which visit rule a household falls under. */
class IdNumbersAndPolicyTest {

    final LocalDate today = LocalDate.of(2026, 11, 30);
    final VisitPolicy policy = new VisitPolicy();

    @Test
    void idNumbersAreCheckedAndCleanedTheWayTheyArrive() {
        assertEquals(Optional.of("11010519491231002X"), IdNumbers.check("11010519491231002x", today).number(), "the standard's example, lower-case x");
        assertEquals(Optional.of("530521195503010020"), IdNumbers.check(" ５３０５２１１９５５０３０１００２０ ", today).number(), "full-width, spaces");
        assertEquals(Optional.of(Problem.EXCEL_MANGLED), IdNumbers.check("5.30521E+17", today).problem());
        assertEquals(Optional.of(Problem.CHECK_DIGIT), IdNumbers.check("530521195503010021", today).problem());
        assertEquals(Optional.of(Problem.BIRTH_DATE), IdNumbers.check("530521195502300020", today).problem(), "30 February");
        assertEquals(Optional.of(Problem.BIRTH_DATE), IdNumbers.check("530521202712010026", today).problem(), "born in the future");
        assertEquals(Optional.of(Problem.LENGTH), IdNumbers.check("53052119550301002", today).problem());
        assertEquals(Optional.of(Problem.EMPTY), IdNumbers.check("  ", today).problem());
        assertEquals(Optional.of(LocalDate.of(1940, 2, 29)), IdNumbers.birthDate("53052119400229004X"));
        assertEquals("530*************20", IdNumbers.mask("530521195503010020"));
    }

    @Test
    void theStrictestRuleWinsAndSaysWhichItIs() {
        assertEquals("分散供养特困按季入户访视", policy.rule(List.of("fensan_tekun"), Household.Risk.LOW).orElseThrow().name());
        assertEquals("留守老人每月巡访", policy.rule(List.of("fensan_tekun", "liushou_laoren"), Household.Risk.MEDIUM).orElseThrow().name(),
                "monthly beats quarterly");
        assertEquals("高风险每周探访", policy.rule(List.of("liushou_laoren"), Household.Risk.HIGH).orElseThrow().name(), "weekly beats monthly");
        assertEquals(Optional.empty(), policy.rule(List.of("dibao"), Household.Risk.LOW), "no rule, no scheduled visits");
    }

    @Test
    void aQuarterIsACalendarQuarterAcrossMonthEndsAndLeapYears() {
        VisitPolicy.Rule quarterly = policy.rule(List.of("guer"), Household.Risk.LOW).orElseThrow();
        assertEquals(LocalDate.of(2027, 2, 28), VisitPolicy.next(LocalDate.of(2026, 11, 30), quarterly));
        assertEquals(LocalDate.of(2028, 2, 29), VisitPolicy.next(LocalDate.of(2027, 11, 30), quarterly), "2028 is a leap year");
        assertEquals(LocalDate.of(2027, 1, 15), VisitPolicy.next(LocalDate.of(2026, 10, 15), quarterly), "across the year");
    }
}
