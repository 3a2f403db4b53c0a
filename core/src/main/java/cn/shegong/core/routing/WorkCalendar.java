package cn.shegong.core.routing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Working days in China (templates/calendar/holidays.yaml): Monday to Friday, minus the public
 * holidays, plus the weekend days declared working days (调休). A year the file does not list
 * counts Monday to Friday only, and {@link #covers} says so, so the console can warn.
 */
public final class WorkCalendar {

    private final Set<LocalDate> holidays = new HashSet<>();
    private final Set<LocalDate> workingWeekends = new HashSet<>();
    private final Set<Integer> years = new HashSet<>();

    public WorkCalendar() {
        this(Config.just(ConfigSources.classpath("calendar/holidays.yaml")));
    }

    WorkCalendar(Config root) {
        for (Config year : root.get("years").asNodeList().orElse(List.of())) {
            years.add(Integer.parseInt(year.name()));
            for (Config range : year.get("holidays").asNodeList().orElse(List.of())) {
                List<String> ends = range.asList(String.class).get();
                for (LocalDate d = LocalDate.parse(ends.get(0)); !d.isAfter(LocalDate.parse(ends.get(1))); d = d.plusDays(1)) {
                    holidays.add(d);
                }
            }
            year.get("working_weekends").asList(String.class).orElse(List.of()).forEach(d -> workingWeekends.add(LocalDate.parse(d)));
        }
    }

    public boolean isWorkingDay(LocalDate day) {
        if (workingWeekends.contains(day)) {
            return true;
        }
        boolean weekend = day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
        return !weekend && !holidays.contains(day);
    }

    /** The working day {@code n} working days after {@code from} (from itself not counted; n = 1 is the next working day). */
    public LocalDate plusWorkingDays(LocalDate from, int n) {
        LocalDate d = from;
        for (int left = n; left > 0; ) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) {
                left--;
            }
        }
        return d;
    }

    /** Whether the holidays of {@code day}'s year are known (else weekends alone are counted). */
    public boolean covers(LocalDate day) {
        return years.contains(day.getYear());
    }
}
