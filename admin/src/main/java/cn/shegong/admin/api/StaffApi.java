package cn.shegong.admin.api;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.QrCodes;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Station;
import cn.shegong.core.staff.Worker;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Stations and their workers, within the account's area: list, add, edit, deactivate. Each worker
 * is shown with the open cases they carry. The auditor sees none of it.
 */
public final class StaffApi implements HttpService {

    private final StaffStore staff;
    private final BindCodes codes;
    private final QrCodes qr;
    private final AuditLog audit;
    private final Clock clock;

    public StaffApi(StaffStore staff, BindCodes codes, QrCodes qr, AuditLog audit, Clock clock) {
        this.staff = staff;
        this.codes = codes;
        this.qr = qr;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/stations", this::stations)
                .put("/api/stations/{code}", this::updateStation)
                .get("/api/stations/{code}/workers", this::workers)
                .post("/api/stations/{code}/workers", this::addWorker)
                .put("/api/workers/{id}", this::updateWorker)
                .post("/api/workers/{id}/bind-code", this::bindCode)
                .post("/api/workers/{id}/unbind", this::unbind)
                .get("/api/stations/{code}/poster", this::poster);
    }

    private void stations(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Http.json(res, Map.of("items", staff.stations(scope.county(), scope.township()).stream().map(st -> Map.of(
                "code", st.code(), "township", st.township(), "county", st.county(), "phone", st.phone(),
                "active", st.active(), "workers", staff.workers(st.code()).stream().filter(Worker::active).count())).toList()));
    }

    private void updateStation(ServerRequest req, ServerResponse res) {
        Station st = station(req);
        Map<String, Object> body = Http.body(req);
        staff.updateStation(st.code(), Http.text(body, "phone"), !Boolean.FALSE.equals(body.get("active")));
        audit.record(clock.instant(), Http.session(req).username, "update_station", st.code(), Http.from(req));
        Http.json(res, Map.of("code", st.code()));
    }

    private void workers(ServerRequest req, ServerResponse res) {
        Station st = station(req);
        Http.json(res, Map.of("items", staff.workers(st.code()).stream().map(this::view).toList()));
    }

    private void addWorker(ServerRequest req, ServerResponse res) {
        Station st = station(req);
        Map<String, Object> body = Http.body(req);
        String name = Http.text(body, "name");
        if (name.isEmpty()) {
            throw new ApiException(400, "empty");
        }
        Worker w = staff.addWorker(name, st.code(), role(body), skills(body), capacity(body));
        audit.record(clock.instant(), Http.session(req).username, "add_worker", w.id(), Http.from(req));
        Http.json(res, view(w));
    }

    /** A one-time code for the worker to send (or scan) in WeChat, and the QR code WeChat made for it, if it could. */
    private void bindCode(ServerRequest req, ServerResponse res) {
        Worker w = worker(req);
        String code = codes.create(w.id(), clock.instant());
        audit.record(clock.instant(), Http.session(req).username, "bind_code", w.id(), Http.from(req));
        Map<String, Object> out = new java.util.LinkedHashMap<>(Map.of("code", code,
                "expiresAt", clock.instant().plus(BindCodes.LIFETIME).toString()));
        qr.create("bind:" + code, BindCodes.LIFETIME).ifPresent(image -> out.put("qr", image));
        Http.json(res, out);
    }

    /**
     * What the station's printable poster shows: its name and phone, and a permanent QR code with
     * the scene {@code station:<code>} — made once and kept — so a scan starts a conversation the
     * intake places at this station.
     */
    private void poster(ServerRequest req, ServerResponse res) {
        Station st = station(req);
        Optional<String> image = staff.posterQr(st.code()).or(() -> {
            Optional<String> made = qr.permanent("station:" + st.code());
            made.ifPresent(url -> staff.setPosterQr(st.code(), url));
            return made;
        });
        Map<String, Object> out = new java.util.LinkedHashMap<>(Map.of("code", st.code(), "township", st.township(), "county", st.county(),
                "phone", st.phone()));
        image.ifPresent(url -> out.put("qr", url));
        Http.json(res, out);
    }

    private void unbind(ServerRequest req, ServerResponse res) {
        Worker w = worker(req);
        staff.unbind(w.id());
        audit.record(clock.instant(), Http.session(req).username, "unbind_wechat", w.id(), Http.from(req));
        Http.json(res, view(staff.worker(w.id()).orElseThrow()));
    }

    private Worker worker(ServerRequest req) {
        Scope scope = Http.staffScope(req);
        return staff.worker(req.path().pathParameters().get("id"))
                .filter(x -> staff.station(x.stationCode()).filter(st -> covers(scope, st)).isPresent())
                .orElseThrow(ApiException::notFound);
    }

    private void updateWorker(ServerRequest req, ServerResponse res) {
        Worker w = worker(req);
        Map<String, Object> body = Http.body(req);
        staff.updateWorker(w.id(), Optional.of(Http.text(body, "name")).filter(n -> !n.isEmpty()).orElse(w.name()), role(body),
                skills(body), capacity(body), !Boolean.FALSE.equals(body.get("active")));
        audit.record(clock.instant(), Http.session(req).username, "update_worker", w.id(), Http.from(req));
        Http.json(res, view(staff.worker(w.id()).orElseThrow()));
    }

    private Map<String, Object> view(Worker w) {
        return Map.of("id", w.id(), "name", w.name(), "station", w.stationCode(), "role", w.role().name(),
                "skills", w.skills().stream().map(Category::code).toList(), "capacity", w.capacity(), "active", w.active(),
                "openCases", staff.openCases(w.id()), "bound", w.openid().isPresent());
    }

    private Station station(ServerRequest req) {
        Scope scope = Http.staffScope(req);
        return staff.station(req.path().pathParameters().get("code")).filter(st -> covers(scope, st)).orElseThrow(ApiException::notFound);
    }

    private static boolean covers(Scope scope, Station st) {
        return scope.county().map(st.countyCode()::equals).orElse(true) && scope.township().map(st.code()::equals).orElse(true);
    }


    private static Worker.Role role(Map<String, Object> body) {
        return "HEAD".equals(body.get("role")) ? Worker.Role.HEAD : Worker.Role.WORKER;
    }

    private static List<Category> skills(Map<String, Object> body) {
        return body.get("skills") instanceof List<?> list
                ? list.stream().flatMap(x -> Category.fromCode(String.valueOf(x)).stream()).toList() : List.of();
    }

    private static int capacity(Map<String, Object> body) {
        return body.get("capacity") instanceof Number n ? Math.max(1, n.intValue()) : 10;
    }
}
