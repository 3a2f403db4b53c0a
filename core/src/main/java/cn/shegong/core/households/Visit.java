package cn.shegong.core.households;

import java.time.LocalDate;
import java.util.Optional;

/**
 * A home visit to a household: due on a date by a rule of the visit policy, then done (with a
 * note, sealed) or still due. Its code ({@code V00042}) is what a worker types on WeChat.
 */
public record Visit(String code, String householdId, Optional<String> workerId, String stationCode, LocalDate due, String rule,
                    Status status, Optional<LocalDate> doneOn, Optional<String> note, Optional<String> doneBy, int escalation,
                    Summary summary) {

    /** What a reminder card shows — nothing sensitive: a masked name, a category code, the village. */
    public record Summary(String maskedName, String category, String village) {
    }

    public enum Status { DUE, DONE, CANCELLED }

    /** Days past its due date on {@code today} (0 when not yet due). */
    public long overdueDays(LocalDate today) {
        return Math.max(0, java.time.temporal.ChronoUnit.DAYS.between(due, today));
    }
}
