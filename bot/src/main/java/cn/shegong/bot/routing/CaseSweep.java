package cn.shegong.bot.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.intake.Alerts;
import cn.shegong.bot.ops.JobMetrics;
import cn.shegong.bot.worker.WorkerNotices;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseEvents;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.routing.Router;
import cn.shegong.core.routing.RoutingRules;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Station;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.storage.StorageFaults;

/**
 * Holds every open request to a person and a time. Every 30 seconds (and at once when a request
 * is opened) it routes what is not yet routed — to its station and, by the rule, a worker, who gets
 * the card; the resident is told which station has it — and walks each open step up its deadline:
 * amber tells the assignee (or the station head while nobody has it), red tells the station head
 * and, for a late first contact, the resident, honestly, with the station's phone; overdue by its
 * whole time again, it goes up to the county (on the case, for the county's console). Each step of
 * each request is acted on once, whichever replica sweeps. With routing set to manual, nothing is
 * assigned: requests are only held to their rule's deadlines while staff assign them. An urgent
 * alert nobody acknowledged (收到) in ten minutes goes up its chain ({@link Alerts}). A run reads
 * only the requests something may be due for ({@link Deadlines#quietUntil}), not every open one.
 */
public final class CaseSweep {

    private static final Logger LOG = Logger.getLogger(CaseSweep.class.getName());
    /** Who an unacknowledged urgent alert went up to, by level (for the timeline). */
    private static final String[] ESCALATED_TO = {"", "on_duty", "head", "county_on_duty", "city_on_duty"};

    /** What a run did. */
    public record Result(int routed, int warned, int breached, int toCounty, int alertsRaised) {
    }

    private final CaseStore cases;
    private final DeadlineStore tracks;
    private final Router router;
    private final Deadlines deadlines;
    private final StaffStore staff;
    private final CaseEvents residents;
    private final WorkerNotices workers;
    private final Alerts alerts;
    private final boolean assign;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
            r -> Thread.ofPlatform().name("shegong-case-sweep").daemon().unstarted(r));
    private final ArrayBlockingQueue<String> soon = new ArrayBlockingQueue<>(256);

    public CaseSweep(CaseStore cases, DeadlineStore tracks, Router router, Deadlines deadlines, StaffStore staff, CaseEvents residents,
                     WorkerNotices workers, Alerts alerts, boolean assign, Clock clock) {
        this.alerts = alerts;
        this.assign = assign;
        this.cases = cases;
        this.tracks = tracks;
        this.router = router;
        this.deadlines = deadlines;
        this.staff = staff;
        this.residents = residents;
        this.workers = workers;
        this.clock = clock;
    }

    private volatile boolean started;

    public void start() {
        started = true;
        scheduler.scheduleWithFixedDelay(this::safeRun, 5, 30, TimeUnit.SECONDS);
    }

    public void stop() {
        scheduler.shutdownNow();
    }

    /** Routes a new request without waiting for the next run (bounded: past 256 waiting, the next run takes it); once started. */
    public void routeSoon(String caseId) {
        if (started && soon.offer(caseId)) {
            scheduler.execute(() -> {
                String id = soon.poll();
                if (id != null) {
                    try {
                        cases.find(id).ifPresent(this::route);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "routing failed: " + e.getClass().getName(), e);
                    }
                }
            });
        }
    }

    private void safeRun() {
        long start = System.nanoTime();
        try {
            JobMetrics.breached(runOnce().breached());
            JobMetrics.ran("case", Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            StorageFaults.log(LOG, "case sweep failed", e);
        }
    }

    public Result runOnce() {
        int routed = 0;
        int warned = 0;
        int breached = 0;
        int county = 0;
        Instant now = clock.instant();
        for (DeadlineStore.Track t : tracks.due(now)) {
            Optional<Case> found = cases.find(t.caseId());
            if (found.isEmpty() || !found.get().status().isOpen()) {
                tracks.close(t.caseId());
                continue;
            }
            Case c = found.get();
            if (!t.routed()) {
                if (route(c)) {
                    routed++;
                    continue; // its deadlines are held from the next run
                }
                t = tracks.find(c.id()).orElse(t); // unroutable (place unknown): still held to its deadlines
            }
            List<Deadlines.Due> claimed = new java.util.ArrayList<>(); // most pressing first
            List<Deadlines.Due> dues = deadlines.of(c, t, now);
            for (Deadlines.Due due : dues) {
                if (due.level() > 0 && tracks.claim(c.id(), due.step(), due.level())) {
                    claimed.add(due);
                }
            }
            // one card per request and state, naming its most pressing step: two steps due together are one reminder
            Optional<Deadlines.Due> amber = claimed.stream().filter(d -> d.state() == Deadlines.State.AMBER).findFirst();
            amber.ifPresent(d -> workers.deadline(c, assigneeOrHeads(c), label(d.step()), false, d.due()));
            warned += amber.isPresent() ? 1 : 0;
            List<Deadlines.Due> red = claimed.stream().filter(d -> d.state() == Deadlines.State.RED).toList();
            red.forEach(d -> breach(c, d));
            red.stream().findFirst().ifPresent(d -> workers.deadline(c, heads(c), label(d.step()), true, d.due()));
            breached += red.size();
            for (Deadlines.Due d : claimed.stream().filter(x -> x.state() == Deadlines.State.COUNTY).toList()) {
                cases.addEvent(c.id(), "escalated_to_county", d.step().name().toLowerCase(java.util.Locale.ROOT), now);
                county++;
            }
            if (t.routed()) { // one not routed is tried again each run
                tracks.quiet(c.id(), deadlines.quietUntil(c, t.raisedTo(dues), now));
            }
        }
        int raised = alerts.escalateUnacknowledged(cases::find, (c, level) -> cases.addEvent(c.id(), "alert_escalated",
                ESCALATED_TO[level], now));
        return new Result(routed, warned, breached, county, raised);
    }

    /** Routes an unrouted request by the rules in force; false when it stays in the inbox (township unknown) or lost a race. */
    boolean route(Case c) {
        if (tracks.find(c.id()).filter(DeadlineStore.Track::routed).isPresent()) {
            return false;
        }
        if (!assign || c.status() != Case.Status.NEW || c.assigneeId().isPresent()) { // staff assign it: hold it to its rule's deadlines
            held(c, router.ruleFor(c));
            return false;
        }
        Router.Decision d = router.decide(c);
        if (d.station().isEmpty()) {
            tracks.routed(c.id(), d.rule(), false, Optional.empty()); // the limits hold from now; an admin sets the place
            return false;
        }
        Optional<Case> routed = cases.assignment().route(c.id(), c.version(), d.station().get(), d.worker().map(Worker::id), d.worker().map(Worker::name),
                d.rule().name(), clock.instant());
        if (routed.isEmpty()) {
            return false;
        }
        Case assigned = routed.get();
        held(assigned, d.rule());
        residents.assigned(assigned, assigned.township().map(x -> x.name()).orElse(""));
        d.worker().ifPresent(w -> workers.assigned(assigned, w));
        return true;
    }

    /** Held to {@code rule}'s deadlines, and quiet until the first of them can fall due: no sweep reads it before. */
    private void held(Case c, RoutingRules.Rule rule) {
        tracks.routed(c.id(), rule, true, Optional.of(deadlines.quietUntil(c, DeadlineStore.Track.routedBy(c.id(), rule), clock.instant())));
    }

    /** A missed deadline is on the case (and counted for the station and the worker in the figures). */
    private void breach(Case c, Deadlines.Due due) {
        cases.addEvent(c.id(), "deadline_missed", due.step().name().toLowerCase(java.util.Locale.ROOT), clock.instant());
        if (due.step() == RoutingRules.Step.FIRST_CONTACT) {
            residents.contactLate(c, c.township().flatMap(t -> staff.station(t.code())).map(Station::phone).orElse(""));
        }
    }

    private List<String> assigneeOrHeads(Case c) {
        List<String> assignee = c.assigneeId().flatMap(staff::worker).filter(Worker::active).flatMap(Worker::openid).stream().toList();
        return assignee.isEmpty() ? heads(c) : assignee;
    }

    private List<String> heads(Case c) {
        return c.township().map(t -> staff.headOpenids(t.code())).orElse(List.of());
    }

    private static BotText label(RoutingRules.Step step) {
        return BotText.valueOf("DEADLINE_STEP_" + step.name());
    }
}
