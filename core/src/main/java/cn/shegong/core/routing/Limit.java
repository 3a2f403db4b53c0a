package cn.shegong.core.routing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * How long a step may take: clock time ({@code PT30M}, {@code PT2H}) or working days ({@code 1wd}:
 * the end of the working day, 18:00 Baoshan time, that many working days after the day it starts).
 */
public record Limit(String text, Duration clock, int workingDays) {

    static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    static final LocalTime END_OF_DAY = LocalTime.of(18, 0);

    public static Limit parse(String text) {
        String t = text.strip();
        if (t.matches("\\d{1,3}wd")) {
            int n = Integer.parseInt(t.substring(0, t.length() - 2));
            if (n < 1) {
                throw new IllegalArgumentException("at least 1wd: " + text);
            }
            return new Limit(t, Duration.ZERO, n);
        }
        try {
            Duration d = Duration.parse(t);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("not a positive duration: " + text);
            }
            return new Limit(t, d, 0);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a duration (PT30M, PT2H) or working days (1wd): " + text);
        }
    }

    /** When a step that started at {@code from} is due. */
    public Instant due(Instant from, WorkCalendar calendar) {
        if (workingDays == 0) {
            return from.plus(clock);
        }
        LocalDate day = calendar.plusWorkingDays(from.atZone(BAOSHAN).toLocalDate(), workingDays);
        return day.atTime(END_OF_DAY).atZone(BAOSHAN).toInstant();
    }
}
