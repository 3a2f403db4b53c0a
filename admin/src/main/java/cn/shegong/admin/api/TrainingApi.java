package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Trainings;
import cn.shegong.core.staff.Worker;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Training records (培训记录): an admin enters a training (title, date, kind, organiser, hours) in
 * their area and gets its sign-in code; workers sign in on WeChat (签到 T4821) and the page lists
 * who attended. The auditor sees none of it.
 */
public final class TrainingApi implements HttpService {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final Trainings trainings;
    private final StaffStore staff;
    private final String cityArea;
    private final AuditLog audit;
    private final Clock clock;

    public TrainingApi(Trainings trainings, StaffStore staff, String cityArea, AuditLog audit, Clock clock) {
        this.cityArea = cityArea;
        this.trainings = trainings;
        this.staff = staff;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/trainings", this::list)
                .get("/api/trainings/attendance", this::attendance)
                .get("/api/trainings/attendance.xlsx", this::attendanceExcel)
                .post("/api/trainings", this::create);
    }

    /** One worker's trainings in a period: how many (人次) and how many hours. */
    record Attendance(String county, String station, String worker, int times, double hours) {
    }

    /** Per worker of the account's area, the trainings of the period they signed in to (the year by default). */
    private java.util.List<Attendance> attendanceOf(ServerRequest req) {
        Scope scope = Http.staffScope(req);
        LocalDate today = LocalDate.now(clock.withZone(BAOSHAN));
        LocalDate[] period = FiguresApi.period(req.query().first("period").orElse(String.valueOf(today.getYear())), today);
        Map<String, double[]> byWorker = new LinkedHashMap<>();
        for (Trainings.Training t : trainings.between(period[0], period[1])) {
            for (String id : t.attendees()) {
                double[] n = byWorker.computeIfAbsent(id, k -> new double[2]);
                n[0]++;
                n[1] += t.hours();
            }
        }
        java.util.List<Attendance> out = new java.util.ArrayList<>();
        byWorker.forEach((id, n) -> staff.worker(id).ifPresent(w -> staff.station(w.stationCode())
                .filter(st -> scope.county().map(st.countyCode()::equals).orElse(true) && scope.township().map(st.code()::equals).orElse(true))
                .ifPresent(st -> out.add(new Attendance(st.county(), st.township(), w.name(), (int) n[0], n[1])))));
        out.sort(java.util.Comparator.comparing(Attendance::county).thenComparing(Attendance::station).thenComparing(Attendance::worker));
        return out;
    }

    private void attendance(ServerRequest req, ServerResponse res) {
        var rows = attendanceOf(req);
        Http.json(res, Map.of("times", rows.stream().mapToInt(Attendance::times).sum(),
                "hours", rows.stream().mapToDouble(Attendance::hours).sum(),
                "items", rows.stream().map(a -> Map.of("county", a.county(), "station", a.station(), "worker", a.worker(),
                        "times", a.times(), "hours", a.hours())).toList()));
    }

    private void attendanceExcel(ServerRequest req, ServerResponse res) {
        var rows = attendanceOf(req);
        new XlsxExport(audit, clock).send(req, res, "trainings", wb -> rows.forEach(a -> wb.row(java.util.List.of(a.county(), a.station(),
                a.worker(), String.valueOf(a.times()), String.valueOf(a.hours())))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        LocalDate[] period = FiguresApi.period(req.query().first("period").orElse(String.valueOf(LocalDate.now(clock.withZone(BAOSHAN)).getYear())),
                LocalDate.now(clock.withZone(BAOSHAN)));
        Http.json(res, Map.of("items", trainings.between(period[0], period[1]).stream()
                .filter(t -> visible(scope, t.areaCode()))
                .map(t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", t.id());
                    m.put("title", t.title());
                    m.put("date", t.date().toString());
                    m.put("kind", t.kind());
                    m.put("organiser", t.organiser());
                    m.put("hours", t.hours());
                    m.put("code", t.code());
                    m.put("attendees", t.attendees().stream().flatMap(id -> staff.worker(id).stream()).map(Worker::name).toList());
                    return m;
                }).toList()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Map<String, Object> body = Http.body(req);
        String title = Http.text(body, "title");
        if (title.isEmpty() || title.length() > 60) {
            throw new ApiException(400, "empty");
        }
        LocalDate date;
        try {
            date = LocalDate.parse(Http.text(body, "date"));
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "bad_date");
        }
        double hours = body.get("hours") instanceof Number n ? n.doubleValue() : 0;
        if (hours <= 0 || hours > 200) {
            throw new ApiException(400, "bad_hours");
        }
        Trainings.Training t = trainings.create(title, date, cut(Http.text(body, "kind"), 20), cut(Http.text(body, "organiser"), 40), hours,
                scope.areaCode(), Http.session(req).username, clock.instant());
        audit.record(clock.instant(), Http.session(req).username, "create_training", t.code(), Http.from(req));
        Http.json(res, Map.of("id", t.id(), "code", t.code()));
    }

    /** The city's trainings are everyone's; a county's, its own and its stations'; a station's, its own. */
    private boolean visible(Scope scope, String area) {
        return switch (scope.role()) {
            case CITY -> true;
            case COUNTY -> area.equals(cityArea) || area.startsWith(scope.areaCode());
            case STATION -> area.equals(cityArea) || area.equals(scope.areaCode()) || scope.areaCode().startsWith(area);
            case AUDITOR -> false;
        };
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
