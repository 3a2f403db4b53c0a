package cn.shegong.bot.visits;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Visit;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;

/**
 * Every few minutes, outside the quiet hours: each due or overdue visit is handed to the outbox
 * for its worker's bound WeChat (or the station head's, when the worker is not bound) once a day;
 * overdue by N days the station head is told, by 2N it is marked for the county (the console
 * shows it). Replicas sweep side by side: each reminder and escalation is claimed on the visit,
 * so it goes out once, and a sweep cut short by a crash resumes without sending twice.
 */
public final class VisitSweep {

    public static final String VISIT_DUE = "visit_due";
    public static final String VISIT_OVERDUE = "visit_overdue";
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");
    /** How far back overdue visits are still reminded about. */
    static final int LOOKBACK_DAYS = 400;
    private static final Logger LOG = System.getLogger(VisitSweep.class.getName());

    /** What one run did. */
    public record Result(int due, int reminded, int toHeads, int toCounty, boolean quiet) {
    }

    private final VisitStore visits;
    private final HouseholdStore households;
    private final StaffStore staff;
    private final Outbox outbox;
    private final CareCategories categories;
    private final VisitPolicy policy;
    private final Areas areas;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;

    public VisitSweep(VisitStore visits, HouseholdStore households, StaffStore staff, Outbox outbox, CareCategories categories,
                      VisitPolicy policy, Areas areas, Clock clock) {
        this.visits = visits;
        this.households = households;
        this.staff = staff;
        this.outbox = outbox;
        this.categories = categories;
        this.policy = policy;
        this.areas = areas;
        this.clock = clock;
    }

    /** Sweeps every five minutes on a thread of its own until {@link #stop}. */
    public void start() {
        ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("shegong-visit-sweep").factory());
        scheduler = own;
        own.scheduleWithFixedDelay(() -> {
            try {
                runOnce();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "visit sweep failed: " + e.getClass().getName(), e);
            }
        }, 30, 300, TimeUnit.SECONDS);
    }

    public void stop() {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
    }

    public Result runOnce() {
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(BAOSHAN);
        if (policy.quiet(local.getHour())) {
            return new Result(0, 0, 0, 0, true);
        }
        LocalDate today = local.toLocalDate();
        List<Visit> due = visits.dueBy(today, LOOKBACK_DAYS);
        int reminded = 0;
        int heads = 0;
        int county = 0;
        for (Visit v : due) {
            Optional<Household> h = households.find(v.householdId()).filter(x -> x.status() == Household.Status.ACTIVE);
            if (h.isEmpty()) {
                continue;
            }
            List<String> to = workerOpenid(v).map(List::of).orElseGet(() -> headOpenids(v.stationCode()));
            if (!to.isEmpty() && visits.claimReminder(v.code(), today)) {
                Map<String, String> values = values(v, h.get());
                to.forEach(openid -> outbox.sendNotice(openid, VISIT_DUE, values));
                reminded++;
            }
            long late = v.overdueDays(today);
            if (late >= policy.overdueDays() && visits.claimEscalation(v.code(), 1)) {
                Map<String, String> values = values(v, h.get());
                values.put("days", Long.toString(late));
                values.put("worker", v.workerId().flatMap(staff::worker).map(Worker::name).orElse("-"));
                headOpenids(v.stationCode()).forEach(openid -> outbox.sendNotice(openid, VISIT_OVERDUE, values));
                heads++;
            }
            if (late >= 2L * policy.overdueDays() && visits.claimEscalation(v.code(), 2)) {
                county++; // shown to the county in the console
            }
        }
        return new Result(due.size(), reminded, heads, county, false);
    }

    private Optional<String> workerOpenid(Visit v) {
        return v.workerId().flatMap(staff::worker).filter(Worker::active).flatMap(Worker::openid);
    }

    private List<String> headOpenids(String stationCode) {
        return staff.workers(stationCode).stream().filter(Worker::active).filter(w -> w.role() == Worker.Role.HEAD)
                .flatMap(w -> w.openid().stream()).toList();
    }

    /** Nothing sensitive: WeChat shows template messages on the lock screen. */
    private Map<String, String> values(Visit v, Household h) {
        Map<String, String> values = new HashMap<>();
        values.put("code", v.code());
        values.put("name", h.maskedName());
        values.put("category", h.categories().keySet().stream().findFirst().map(categories::label).orElse(""));
        values.put("place", areas.byCode(h.townshipCode()).map(t -> t.name() + h.village()).orElse(h.village()));
        values.put("dueYear", Integer.toString(v.due().getYear()));
        values.put("dueMonth", Integer.toString(v.due().getMonthValue()));
        values.put("dueDay", Integer.toString(v.due().getDayOfMonth()));
        return values;
    }
}
