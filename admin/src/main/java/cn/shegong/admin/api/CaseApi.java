package cn.shegong.admin.api;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.casework.CaseSearch;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.Outcomes;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.staff.WorkerEvents;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Cases in the console: the inbox (urgent first, filters, search by number or phone), the case
 * page, and what staff do — assign to a worker, note, message the resident, reclassify, close,
 * reopen. Everything outside the account's area is 404; every change names the version it was
 * made from (a stale view gets 409) and is audited, as is every view of a sensitive case.
 */
public final class CaseApi implements HttpService {

    private final CaseStore cases;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final StaffStore staff;
    private final MediaStore media;
    private final CaseEvents events;
    private final WorkerEvents workerEvents;
    private final DeadlineView deadlines;
    private final Outcomes outcomes;
    private final DeliveryView deliveries;
    private final AuditLog audit;
    private final Clock clock;

    public CaseApi(CaseStore cases, MessageStore messages, ResidentStore residents, StaffStore staff, MediaStore media, CaseEvents events,
                   WorkerEvents workerEvents, DeadlineView deadlines, Outcomes outcomes, DeliveryView deliveries, AuditLog audit, Clock clock) {
        this.deliveries = deliveries;
        this.deadlines = deadlines;
        this.outcomes = outcomes;
        this.workerEvents = workerEvents;
        this.media = media;
        this.cases = cases;
        this.messages = messages;
        this.residents = residents;
        this.staff = staff;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/api/cases", this::list)
                .get("/api/cases/{id}", this::get)
                .post("/api/cases/{id}/assign", this::assign)
                .post("/api/cases/{id}/notes", this::note)
                .post("/api/cases/{id}/message", this::message)
                .post("/api/cases/{id}/classify", this::classify)
                .post("/api/cases/{id}/close", this::close)
                .post("/api/cases/{id}/reopen", this::reopen);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Scope scope = Http.session(req).scope();
        if (scope.role() == Role.AUDITOR) {
            throw ApiException.notFound();
        }
        var page = cases.searching().search(query(req, scope));
        Http.json(res, Map.of("total", page.total(), "items", page.items().stream().map(c -> summary(c, scope)).toList()));
    }

    /** The inbox's filters from the request, within the account's area (also what an export holds). */
    static CaseSearch.Query query(ServerRequest req, Scope scope) {
        var q = req.query();
        String search = q.first("q").orElse("").strip();
        Optional<String> number = search.startsWith("BS") ? Optional.of(search) : Optional.empty();
        Optional<String> phone = search.matches("[0-9-]{7,}") ? Optional.of(search) : Optional.empty();
        String status = q.first("status").orElse("");
        // A number or a phone is looked up in every status: the person asking does not know where it stands.
        boolean lookup = number.isPresent() || phone.isPresent(); // then the other filters would only hide what is asked for
        List<Case.Status> statuses = lookup || status.equals("ALL") ? List.of()
                : status.isEmpty() ? Case.Status.open() : List.of(Case.Status.valueOf(status));
        return new CaseSearch.Query(
                scope.county(q), scope.township(q),
                statuses, q.first("category").flatMap(Category::fromCode).filter(c -> !lookup),
                q.first("urgent").map(Boolean::parseBoolean).filter(u -> !lookup), number, phone,
                q.first("from").asOptional().filter(d -> !lookup).map(d -> day(d)),
                q.first("to").asOptional().filter(d -> !lookup).map(d -> day(d).plus(Duration.ofDays(1))),
                q.first("assignee").asOptional(),
                q.first("only").asOptional().filter(o -> !lookup).map(o -> CaseSearch.Only.valueOf(o.toUpperCase(java.util.Locale.ROOT))),
                Http.page(q.first("page").orElse("0")), 20);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        if (c.category() == Category.MENTAL || c.category() == Category.CHILDREN || c.urgent()) {
            audit.record(clock.instant(), s.username, "view_sensitive_case", c.number(), Http.from(req));
        }
        boolean full = s.scope().seesContactDetails();
        Map<String, Object> view = summary(c, s.scope());
        view.put("description", full ? c.description() : Phones.maskAll(c.description()));
        view.put("timeline", c.timeline().stream().map(e -> Map.of("at", e.at().toString(), "kind", e.kind(), "note", e.note())).toList());
        view.put("transcript", messages.forCase(c.id()).stream().map(m -> Map.of("direction", m.direction().name(),
                "type", m.type(), "content", full ? m.content() : Phones.maskAll(m.content()), "at", m.storedAt().toString())).toList());
        view.put("media", media.items(c.id()).stream().map(m -> {
            Map<String, Object> v = new LinkedHashMap<>(Map.of("id", m.id(), "kind", m.kind(), "status", m.status(), "author", m.author(),
                    "at", m.at().toString(), "viewable", full));
            m.recognition().ifPresent(r -> v.put("recognition", full ? r : Phones.maskAll(r)));
            return v;
        }).toList());
        view.put("notes", cases.notes(c.id()).stream().map(n -> Map.of("at", n.at().toString(), "author", n.author(), "text", n.text())).toList());
        view.put("windowOpen", residents.find(c.openid()).map(r -> r.windowOpen(clock.instant())).orElse(false));
        view.put("workers", c.township().map(t -> staff.workers(t.code()).stream().filter(Worker::active).map(w -> Map.of(
                "id", w.id(), "name", w.name(), "role", w.role().name(), "openCases", staff.openCases(w.id()),
                "capacity", w.capacity())).toList()).orElse(List.of()));
        view.put("deliveries", deliveries.of(c, full));
        c.rating().ifPresent(r -> view.put("rating", r));
        c.ratingComment().ifPresent(r -> view.put("comment", r));
        Http.json(res, view);
    }

    private void assign(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        Map<String, Object> body = Http.body(req);
        String station = c.township().map(t -> t.code()).orElseThrow(() -> new ApiException(409, "no_township"));
        Optional<Worker> worker = Optional.of(Http.text(body, "workerId")).filter(w -> !w.isEmpty()).map(w -> staff.worker(w)
                .filter(x -> x.stationCode().equals(station) && x.active()).orElseThrow(() -> new ApiException(400, "no_such_worker")));
        changed(cases.assignment().assign(c.id(), Http.version(body), station, worker.map(Worker::id), worker.map(Worker::name), clock.instant()));
        deadlines.reassigned(c);
        audit.record(clock.instant(), s.username, "assign", c.number(), Http.from(req));
        events.assigned(c, c.township().get().name());
        Case assigned = reload(c);
        worker.ifPresent(w -> workerEvents.assigned(assigned, w));
        Http.json(res, summary(assigned, s.scope()));
    }

    private void note(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        String text = required(Http.text(Http.body(req), "text"));
        cases.addNote(c.id(), s.username, text, clock.instant());
        audit.record(clock.instant(), s.username, "note", c.number(), Http.from(req));
        Http.json(res, summary(reload(c), s.scope()));
    }

    private void message(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        String text = required(Http.text(Http.body(req), "text"));
        events.message(c, text);
        cases.forWorkers().recordContact(c.id(), s.username, clock.instant()); // a message from the station reaches the person
        audit.record(clock.instant(), s.username, "message_resident", c.number(), Http.from(req));
        Http.json(res, summary(reload(c), s.scope()));
    }

    private void classify(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        Map<String, Object> body = Http.body(req);
        Category category = Category.fromCode(Http.text(body, "category")).orElseThrow(() -> new ApiException(400, "no_such_category"));
        String reason = required(Http.text(body, "reason"));
        changed(cases.reclassify(c.id(), Http.version(body), category, Boolean.TRUE.equals(body.get("urgent")), reason, clock.instant()));
        audit.record(clock.instant(), s.username, "reclassify", c.number(), Http.from(req));
        Http.json(res, summary(reload(c), s.scope()));
    }

    private void close(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        Map<String, Object> body = Http.body(req);
        List<CaseStore.Outcome> results = outcomes(body);
        changed(cases.changeStatus(c.id(), Http.version(body), Case.Status.CLOSED, "closed", s.username, clock.instant()));
        cases.recordOutcomes(c.id(), results);
        audit.record(clock.instant(), s.username, "close", c.number(), Http.from(req));
        events.closed(c, Http.text(body, "summary"));
        Http.json(res, summary(reload(c), s.scope()));
    }

    /** The outcomes ticked on closing: known codes, an amount in whole yuan where one applies; at least one. */
    private List<CaseStore.Outcome> outcomes(Map<String, Object> body) {
        List<CaseStore.Outcome> out = new java.util.ArrayList<>();
        if (body.get("outcomes") instanceof List<?> list) {
            for (Object o : list) {
                Map<?, ?> m = o instanceof Map<?, ?> x ? x : Map.of();
                Outcomes.Kind kind = outcomes.byCode(String.valueOf(m.get("code"))).orElseThrow(() -> new ApiException(400, "no_such_outcome"));
                Optional<Long> amount = kind.amount() && m.get("amount") instanceof Number n && n.longValue() >= 0
                        ? Optional.of(n.longValue()) : Optional.empty();
                if (kind.amount() && amount.isEmpty()) {
                    throw new ApiException(400, "amount_required");
                }
                out.add(new CaseStore.Outcome(kind.code(), amount));
            }
        }
        if (out.isEmpty()) {
            throw new ApiException(400, "outcome_required");
        }
        return out;
    }

    private void reopen(ServerRequest req, ServerResponse res) {
        Session s = Http.session(req);
        Case c = visible(s, req);
        if (c.status().isOpen()) {
            throw new ApiException(409, "already_open");
        }
        changed(cases.changeStatus(c.id(), Http.version(Http.body(req)), Case.Status.NEW, "reopened", s.username, clock.instant()));
        audit.record(clock.instant(), s.username, "reopen", c.number(), Http.from(req));
        Http.json(res, summary(reload(c), s.scope()));
    }

    /** A date (yyyy-MM-dd) as the start of that day in Baoshan. */
    private static java.time.Instant day(String date) {
        try {
            return java.time.LocalDate.parse(date).atStartOfDay(java.time.ZoneId.of("Asia/Shanghai")).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new ApiException(400, "bad_date");
        }
    }

    private Case visible(Session s, ServerRequest req) {
        return cases.find(req.path().pathParameters().get("id")).filter(s.scope()::covers).orElseThrow(ApiException::notFound);
    }

    private Case reload(Case c) {
        return cases.find(c.id()).orElseThrow();
    }

    private static void changed(boolean applied) {
        if (!applied) {
            throw new ApiException(409, "changed_by_someone_else");
        }
    }

    private static String required(String text) {
        if (text.isEmpty()) {
            throw new ApiException(400, "empty");
        }
        return text;
    }

    private Map<String, Object> summary(Case c, Scope scope) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("number", c.number());
        m.put("category", c.category().code());
        m.put("urgent", c.urgent());
        m.put("status", c.status().name());
        m.put("county", c.township().map(t -> t.county()).orElse(""));
        m.put("township", c.township().map(t -> t.name()).orElse(""));
        m.put("assignee", c.assignee().orElse(""));
        m.put("name", c.name().map(n -> scope.seesContactDetails() ? n : n.charAt(0) + "*").orElse(""));
        m.put("phone", c.phone().map(p -> scope.seesContactDetails() ? p : Phones.mask(p)).orElse(""));
        m.put("contactRequested", c.contactRequested());
        m.put("createdAt", c.createdAt().toString());
        m.put("version", c.version());
        m.put("escalated", c.timeline().stream().anyMatch(e -> e.kind().equals("escalated_to_county")));
        m.putAll(deadlines.of(c));
        return m;
    }
}
