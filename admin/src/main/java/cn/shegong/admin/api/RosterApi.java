package cn.shegong.admin.api;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.staff.Rosters;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Station;
import cn.shegong.core.staff.Worker;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Duty rosters (值班表) for urgent requests: a station's (its township code), a county's
 * ({@code county:530521}) and the city's ({@code city}) — a weekly pattern and single-date
 * exceptions, naming active workers of the roster's area. A station head edits their station's;
 * a county admin their county's and its stations'; the city admin all.
 */
public final class RosterApi implements HttpService {

    private final Rosters rosters;
    private final StaffStore staff;
    private final AuditLog audit;
    private final Clock clock;

    public RosterApi(Rosters rosters, StaffStore staff, AuditLog audit, Clock clock) {
        this.rosters = rosters;
        this.staff = staff;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/rosters/{key}", this::get)
                .put("/api/rosters/{key}", this::saveWeekly)
                .post("/api/rosters/{key}/exceptions", this::exception);
    }

    private void get(ServerRequest req, ServerResponse res) {
        String key = req.path().pathParameters().get("key");
        List<Worker> candidates = candidates(Http.staffScope(req), key);
        Rosters.Roster r = rosters.get(key);
        Map<String, Object> weekly = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            weekly.put(d.name(), r.weekly().getOrDefault(d, List.of()));
        }
        Map<String, Object> exceptions = new LinkedHashMap<>();
        r.exceptions().forEach((day, ids) -> exceptions.put(day.toString(), ids));
        Http.json(res, Map.of("key", key, "weekly", weekly, "exceptions", exceptions,
                "today", r.onDuty(LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai")))),
                "candidates", candidates.stream().map(w -> Map.of("id", w.id(), "name", w.name(), "station", w.stationCode(),
                        "bound", w.openid().isPresent())).toList()));
    }

    private void saveWeekly(ServerRequest req, ServerResponse res) {
        String key = req.path().pathParameters().get("key");
        Set<String> allowed = ids(candidates(Http.staffScope(req), key));
        Map<String, Object> body = Http.body(req);
        Map<DayOfWeek, List<String>> weekly = new EnumMap<>(DayOfWeek.class);
        if (body.get("weekly") instanceof Map<?, ?> m) {
            for (DayOfWeek d : DayOfWeek.values()) {
                weekly.put(d, workers(m.get(d.name()), allowed));
            }
        }
        rosters.saveWeekly(key, weekly);
        audit.record(clock.instant(), Http.session(req).username, "edit_roster", key, Http.from(req));
        get(req, res);
    }

    private void exception(ServerRequest req, ServerResponse res) {
        String key = req.path().pathParameters().get("key");
        Set<String> allowed = ids(candidates(Http.staffScope(req), key));
        Map<String, Object> body = Http.body(req);
        LocalDate day;
        try {
            day = LocalDate.parse(Http.text(body, "date"));
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "bad_date");
        }
        rosters.setException(key, day, workers(body.get("workerIds"), allowed));
        audit.record(clock.instant(), Http.session(req).username, "edit_roster", key + " " + day, Http.from(req));
        get(req, res);
    }

    /** The active workers a roster may name, within the account's area; 404 for a roster outside it. */
    private List<Worker> candidates(Scope scope, String key) {
        List<Station> stations;
        if (key.equals(Rosters.CITY)) {
            require(scope.role() == Role.CITY);
            stations = staff.stations(java.util.Optional.empty(), java.util.Optional.empty());
        } else if (key.startsWith("county:")) {
            String county = key.substring("county:".length());
            require(scope.role() == Role.CITY || scope.role() == Role.COUNTY && scope.areaCode().equals(county));
            stations = staff.stations(java.util.Optional.of(county), java.util.Optional.empty());
        } else {
            stations = staff.station(key).filter(st -> scope.coversTownship(st.code())).map(List::of).orElseThrow(ApiException::notFound);
        }
        return stations.stream().flatMap(st -> staff.workers(st.code()).stream()).filter(Worker::active).toList();
    }

    private static void require(boolean allowed) {
        if (!allowed) {
            throw ApiException.notFound();
        }
    }

    private static Set<String> ids(List<Worker> workers) {
        return workers.stream().map(Worker::id).collect(Collectors.toSet());
    }

    private static List<String> workers(Object list, Set<String> allowed) {
        if (!(list instanceof List<?> l)) {
            return List.of();
        }
        List<String> ids = l.stream().map(String::valueOf).distinct().toList();
        if (!allowed.containsAll(ids)) {
            throw new ApiException(400, "no_such_worker");
        }
        return ids;
    }
}
