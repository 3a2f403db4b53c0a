package cn.shegong.core.report;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.RegistryFigures;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The bureau's report for a period and an area, as tables (templates/report/report.yaml names
 * them): requests by category, timeliness, results (persons newly granted 低保 and 特困 — from
 * requests closed with that outcome, one person each, and households newly enrolled in the
 * registry, by their members — 临时救助 人次 and amount), households in care, home visits,
 * dynamic monitoring, satisfaction. The console shows the same tables the Excel file holds.
 */
public final class MonthlyReport {

    /** One table: headings, rows (a label, then numbers or blanks), and an optional totals row. */
    /** {@code codes}: what each row counts (a category code), so the console can open the records behind a number; empty when rows have none. */
    public record Table(String key, String title, List<String> headings, List<List<Object>> rows, Optional<List<Object>> total,
                        List<String> codes) {
    }

    public record Report(String title, LocalDate from, LocalDate to, String area, Instant at, List<Table> tables, Map<String, String> words) {
    }

    private final CaseFigures cases;
    private final RegistryFigures registry;
    private final Monitoring monitoring;
    private final CareCategories care;
    private final Function<String, String> caseCategory;
    private final Function<String, String> stationName;
    private final cn.shegong.core.staff.Trainings trainings;
    private final Function<String, Optional<String>> workerStation;
    private final Config labels = Config.just(ConfigSources.classpath("report/report.yaml"));

    public MonthlyReport(CaseFigures cases, RegistryFigures registry, Monitoring monitoring, CareCategories care,
                         Function<String, String> caseCategory, Function<String, String> stationName,
                         cn.shegong.core.staff.Trainings trainings, Function<String, Optional<String>> workerStation) {
        this.stationName = stationName;
        this.trainings = trainings;
        this.workerStation = workerStation;
        this.cases = cases;
        this.registry = registry;
        this.monitoring = monitoring;
        this.care = care;
        this.caseCategory = caseCategory;
    }

    public Report of(LocalDate from, LocalDate to, Optional<String> county, Optional<String> township, String areaName, LocalDate today,
                     Instant now) {
        CaseFigures.Figures c = cases.of(from, to, county, township);
        RegistryFigures.Figures r = registry.of(from, to, county, township, today);
        List<Table> tables = new ArrayList<>();
        List<List<Object>> requests = new ArrayList<>();
        List<String> requestCodes = new ArrayList<>();
        c.byCategory().forEach((code, n) -> {
            if (!code.equals(CaseFigures.ALL)) {
                requests.add(List.of(caseCategory.apply(code), n.received(), n.urgent(), n.resolved(), n.open(), n.cancelled()));
                requestCodes.add(code);
            }
        });
        CaseFigures.Counts all = c.byCategory().getOrDefault(CaseFigures.ALL, new CaseFigures.Counts(0, 0, 0, 0, 0));
        tables.add(table("requests", requests, Optional.of(List.of(word("total"), all.received(), all.urgent(), all.resolved(), all.open(),
                all.cancelled())), requestCodes));
        tables.add(table("timeliness", List.of(row("timeliness", "to_assign", hours(c.medianHoursToAssign())),
                row("timeliness", "to_contact", hours(c.medianHoursToContact())), row("timeliness", "to_close", hours(c.medianHoursToClose())),
                row("timeliness", "met", c.metDeadlines()), row("timeliness", "missed", c.missedDeadlines())), Optional.empty()));
        List<List<Object>> breaches = new ArrayList<>();
        c.missedByStation().forEach((code, n) -> breaches.add(List.of(word("station") + stationName.apply(code), n)));
        c.missedByWorker().forEach((name, n) -> breaches.add(List.of(word("worker") + name, n)));
        tables.add(table("breaches", breaches, Optional.empty()));
        int dibao = c.outcomes().getOrDefault("granted_dibao", 0) + r.newlyEnrolledPersons().getOrDefault("dibao", 0);
        int tekun = c.outcomes().getOrDefault("granted_tekun", 0) + r.newlyEnrolledPersons().getOrDefault("fensan_tekun", 0)
                + r.newlyEnrolledPersons().getOrDefault("jizhong_tekun", 0);
        tables.add(table("results", List.of(row("results", "dibao_persons", dibao), row("results", "tekun_persons", tekun),
                row("results", "linshi_times", c.outcomes().getOrDefault("granted_linshi", 0)), row("results", "linshi_amount", c.reliefAmount()),
                row("results", "referred", c.outcomes().getOrDefault("referred", 0)),
                row("results", "resources", c.outcomes().getOrDefault("resources", 0))), Optional.empty()));
        List<List<Object>> households = new ArrayList<>();
        List<String> householdCodes = new ArrayList<>();
        List<List<Object>> visits = new ArrayList<>();
        List<String> visitCodes = new ArrayList<>();
        for (CareCategories.Category k : care.all()) {
            int inCare = r.inCare().getOrDefault(k.code(), 0);
            int newly = r.newlyEnrolled().getOrDefault(k.code(), 0);
            if (inCare + newly > 0) {
                households.add(List.of(k.label(), inCare, newly));
                householdCodes.add(k.code());
            }
            RegistryFigures.Visits v = r.visits().get(k.code());
            if (v != null) {
                visits.add(List.of(k.label(), v.due(), v.onTime(), v.late(), v.missed(), v.open()));
                visitCodes.add(k.code());
            }
        }
        tables.add(table("households", households, Optional.of(List.of(word("total"), r.households(), "")), householdCodes));
        RegistryFigures.Visits v = r.visits().getOrDefault(RegistryFigures.ALL, new RegistryFigures.Visits(0, 0, 0, 0, 0));
        tables.add(table("visits", visits, Optional.of(List.of(word("total"), v.due(), v.onTime(), v.late(), v.missed(), v.open())),
                visitCodes));
        tables.add(table("monitoring", List.of(row("monitoring", "households", r.inCare().getOrDefault("jiance", 0)),
                row("monitoring", "flags", monitoring.list(county, township, Monitoring.Decision.OPEN).size())), Optional.empty()));
        int sessions = 0;
        int persons = 0;
        double personHours = 0;
        for (cn.shegong.core.staff.Trainings.Training t : trainings.between(from, to)) { // counted by where each attendee works
            long here = t.attendees().stream().map(workerStation).flatMap(Optional::stream)
                    .filter(st -> cn.shegong.core.casework.Areas.within(st, county, township)).count();
            sessions += here > 0 ? 1 : 0;
            persons += (int) here;
            personHours += here * t.hours();
        }
        tables.add(table("trainings", List.of(row("trainings", "sessions", sessions), row("trainings", "persons", persons),
                row("trainings", "hours", Math.round(personHours * 10) / 10.0)), Optional.empty()));
        tables.add(table("satisfaction", List.of(row("satisfaction", "ratings", c.ratings()),
                row("satisfaction", "average", c.averageRating().map(a -> (Object) (Math.round(a * 10) / 10.0)).orElse(""))), Optional.empty()));
        return new Report(word("title"), from, to, areaName.isEmpty() ? word("all_areas") : areaName, now, tables,
                Map.of("period", word("period"), "area", word("area"), "exported", word("exported"), "to", word("to")));
    }

    private Table table(String key, List<List<Object>> rows, Optional<List<Object>> total) {
        return table(key, rows, total, List.of());
    }

    private Table table(String key, List<List<Object>> rows, Optional<List<Object>> total, List<String> codes) {
        Config t = labels.get("tables." + key);
        return new Table(key, t.get("title").asString().get(), t.get("headings").asList(String.class).get(), rows, total, codes);
    }

    private List<Object> row(String table, String key, Object value) {
        return List.of(labels.get("tables." + table + ".rows." + key).asString().get(), value);
    }

    private String word(String key) {
        return labels.get(key).asString().get();
    }

    private static Object hours(Optional<Double> h) {
        return h.map(x -> (Object) (Math.round(x * 10) / 10.0)).orElse("");
    }
}
