package cn.shegong.admin.api;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.IdNumbers;
import cn.shegong.core.households.Registry;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Entering households by hand and ordering campaigns: create a household, and edit one (the station
 * that visits it, the one role that sees its members in full) — members with
 * checked ID numbers and phones, a township within the account's area, known categories with their
 * enrolment dates, the responsible worker of that station) — each refusal names the field and why —
 * and a campaign of extra visits (before 春节, a cold wave) for the active households of a category
 * in an area, due by a date, for at most {@value #CAMPAIGN_LIMIT} households at once.
 */
public final class HouseholdFormApi implements HttpService {

    static final int CAMPAIGN_LIMIT = 5000;
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private final HouseholdStore households;
    private final Registry registry;
    private final StaffStore staff;
    private final Areas areas;
    private final CareCategories categories;
    private final AuditLog audit;
    private final Clock clock;

    public HouseholdFormApi(HouseholdStore households, Registry registry, StaffStore staff, Areas areas, CareCategories categories,
                            AuditLog audit, Clock clock) {
        this.households = households;
        this.registry = registry;
        this.staff = staff;
        this.areas = areas;
        this.categories = categories;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/api/households", this::create)
                .put("/api/households/{id}", this::edit)
                .post("/api/campaigns", this::campaign);
    }

    private void create(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Map<String, Object> body = Http.body(req);
        HouseholdStore.Facts facts = facts(body, scope);
        facts.members().get(0).idNumber().flatMap(households::byIdNumber).ifPresent(h -> {
            throw new ApiException(409, "already_registered");
        });
        String id = registry.enrol(facts, worker(body, facts.townshipCode()), today(), clock.instant()).id();
        audit.record(clock.instant(), Http.session(req).username, "create_household", id, Http.from(req));
        Http.json(res, Map.of("id", id));
    }

    private void edit(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Household h = households.find(req.path().pathParameters().get("id")).filter(x -> scope.coversTownship(x.townshipCode()))
                .orElseThrow(ApiException::notFound);
        if (!scope.seesContactDetails()) { // others see members masked: an edit from that view would overwrite them
            throw new ApiException(403, "station_only");
        }
        Map<String, Object> body = Http.body(req);
        if (Http.version(body) != h.version()) {
            throw new ApiException(409, "changed_by_someone_else");
        }
        HouseholdStore.Facts facts = facts(body, scope);
        facts.members().get(0).idNumber().flatMap(households::byIdNumber).filter(other -> !other.id().equals(h.id())).ifPresent(o -> {
            throw new ApiException(409, "already_registered");
        });
        registry.edit(h.id(), facts, worker(body, facts.townshipCode()), Http.session(req).username, today(), clock.instant());
        audit.record(clock.instant(), Http.session(req).username, "edit_household", h.id(), Http.from(req));
        Http.json(res, Map.of("id", h.id()));
    }

    private void campaign(ServerRequest req, ServerResponse res) {
        Scope scope = Http.staffScope(req);
        Map<String, Object> body = Http.body(req);
        String name = Http.text(body, "name");
        if (name.isEmpty() || name.length() > 40) {
            throw new ApiException(400, "empty");
        }
        LocalDate due = date(Http.text(body, "due")).filter(d -> !d.isBefore(today())).orElseThrow(() -> new ApiException(400, "bad_date"));
        Optional<String> category = Optional.of(Http.text(body, "category")).filter(c -> !c.isEmpty());
        if (category.isPresent() && categories.byCode(category.get()).isEmpty()) {
            throw new ApiException(400, "no_such_category");
        }
        Optional<String> county = scope.county().or(() -> Optional.of(Http.text(body, "county")).filter(c -> !c.isEmpty()));
        Optional<String> township = scope.township().or(() -> Optional.of(Http.text(body, "township")).filter(t -> !t.isEmpty()))
                .filter(scope::coversTownship);
        List<String> ids = households.activeIds(county, township, category, CAMPAIGN_LIMIT + 1);
        if (ids.size() > CAMPAIGN_LIMIT) {
            throw new ApiException(400, "campaign_too_large");
        }
        int ordered = 0;
        for (String id : ids) {
            ordered += registry.orderVisit(id, name, due, clock.instant()).isPresent() ? 1 : 0;
        }
        audit.record(clock.instant(), Http.session(req).username, "order_campaign", name + " " + ordered, Http.from(req));
        Http.json(res, Map.of("ordered", ordered, "due", due.toString()));
    }

    /** The form's facts, checked; the first problem found is answered 400 with its field. */
    @SuppressWarnings("unchecked")
    private HouseholdStore.Facts facts(Map<String, Object> body, Scope scope) {
        List<Household.Member> members = new ArrayList<>();
        for (Object o : body.get("members") instanceof List<?> l ? l : List.of()) {
            Map<String, Object> m = o instanceof Map<?, ?> x ? (Map<String, Object>) x : Map.of();
            String name = Http.text(m, "name");
            if (name.isEmpty() || name.length() > 30) {
                throw new ApiException(400, "member_name");
            }
            String raw = Http.text(m, "idNumber");
            Optional<String> id = Optional.empty();
            if (!raw.isEmpty()) {
                IdNumbers.Checked c = IdNumbers.check(raw, today());
                id = Optional.of(c.number().orElseThrow(() -> new ApiException(400, "id_" + c.problem().orElseThrow().name().toLowerCase())));
            }
            String phone = Http.text(m, "phone").replaceAll("[\\s-]", "");
            if (!phone.isEmpty() && !phone.matches("1[3-9]\\d{9}|0\\d{9,11}")) {
                throw new ApiException(400, "bad_phone");
            }
            members.add(new Household.Member(name, id, Optional.of(phone).filter(p -> !p.isEmpty()), Http.text(m, "relation"),
                    id.flatMap(IdNumbers::birthDate)));
        }
        if (members.isEmpty() || members.get(0).idNumber().isEmpty()) {
            throw new ApiException(400, "id_empty");
        }
        Areas.Township t = areas.byCode(Http.text(body, "township")).filter(x -> scope.coversTownship(x.code()))
                .orElseThrow(() -> new ApiException(400, "no_such_township"));
        Map<String, LocalDate> cats = new TreeMap<>();
        if (body.get("categories") instanceof Map<?, ?> m) {
            m.forEach((code, since) -> {
                if (categories.byCode(String.valueOf(code)).isEmpty()) {
                    throw new ApiException(400, "no_such_category");
                }
                cats.put(String.valueOf(code), date(String.valueOf(since)).orElseThrow(() -> new ApiException(400, "bad_date")));
            });
        }
        if (cats.isEmpty()) {
            throw new ApiException(400, "no_such_category");
        }
        Household.Risk risk = java.util.Arrays.stream(Household.Risk.values()).filter(r -> r.name().equals(Http.text(body, "risk")))
                .findFirst().orElse(Household.Risk.MEDIUM);
        return new HouseholdStore.Facts(members, t.code(), t.countyCode(), Http.text(body, "village"), Http.text(body, "address"), cats, risk,
                Http.text(body, "plan"));
    }

    private Optional<String> worker(Map<String, Object> body, String township) {
        String id = Http.text(body, "workerId");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(staff.worker(id).filter(Worker::active).filter(w -> w.stationCode().equals(township)).map(Worker::id)
                .orElseThrow(() -> new ApiException(400, "no_such_worker")));
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(BAOSHAN));
    }

    private static Optional<LocalDate> date(String text) {
        try {
            return Optional.of(LocalDate.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
