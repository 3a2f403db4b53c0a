package cn.shegong.bot.visits;

import java.lang.System.Logger;
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

import cn.shegong.bot.ops.JobMetrics;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.Visit;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.storage.StorageFaults;

/**
 * Every few minutes, outside the quiet hours: each due or overdue visit is handed to the outbox
 * for its worker's bound WeChat (or the station head's, when the worker is not bound) once a day;
 * overdue by N days the station head is told, by 2N it is marked for the county (the console
 * shows it). Replicas sweep side by side: each reminder and escalation is claimed on the visit,
 * so it goes out once, and a sweep cut short by a crash resumes without sending twice. Once a
 * day's pass is complete it is marked, and later sweeps that day do nothing (a visit scheduled
 * for today after that is reminded tomorrow). No household is read: the card's values are on the visit.
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
    private final StaffStore staff;
    private final Outbox outbox;
    private final CareCategories categories;
    private final VisitPolicy policy;
    private final Areas areas;
    private final Clock clock;
    private volatile ScheduledExecutorService scheduler;

    public VisitSweep(VisitStore visits, StaffStore staff, Outbox outbox, CareCategories categories,
                      VisitPolicy policy, Areas areas, Clock clock) {
        this.visits = visits;
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
            long start = System.nanoTime();
            try {
                runOnce();
                JobMetrics.ran("visit", java.time.Duration.ofNanos(System.nanoTime() - start));
            } catch (RuntimeException e) {
                StorageFaults.log(LOG, "visit sweep failed", e);
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
        if (visits.sweptOn(today)) {
            return new Result(0, 0, 0, 0, false);
        }
        List<Visit> due = visits.dueBy(today, LOOKBACK_DAYS);
        Map<String, Optional<String>> openids = new HashMap<>();
        Map<String, List<String>> heads = new HashMap<>();
        int reminded = 0;
        int toHeads = 0;
        int county = 0;
        for (Visit v : due) { // a due visit's household is active: an exit cancels its visit
            List<String> stationHeads = heads.computeIfAbsent(v.stationCode(), staff::headOpenids);
            List<String> to = v.workerId().map(w -> openids.computeIfAbsent(w, this::workerOpenid)).flatMap(o -> o)
                    .map(List::of).orElse(stationHeads);
            if (!to.isEmpty() && visits.claimReminder(v.code(), today)) {
                Map<String, String> values = values(v);
                to.forEach(openid -> outbox.sendNotice(openid, VISIT_DUE, values));
                reminded++;
            }
            long late = v.overdueDays(today);
            if (late >= policy.overdueDays() && visits.claimEscalation(v.code(), 1)) {
                Map<String, String> values = values(v);
                values.put("days", Long.toString(late));
                values.put("worker", v.workerId().flatMap(staff::worker).map(Worker::name).orElse("-"));
                stationHeads.forEach(openid -> outbox.sendNotice(openid, VISIT_OVERDUE, values));
                toHeads++;
            }
            if (late >= 2L * policy.overdueDays() && visits.claimEscalation(v.code(), 2)) {
                county++; // shown to the county in the console
            }
        }
        visits.markSwept(today, now);
        return new Result(due.size(), reminded, toHeads, county, false);
    }

    private Optional<String> workerOpenid(String workerId) {
        return staff.worker(workerId).filter(Worker::active).flatMap(Worker::openid);
    }


    /** Nothing sensitive: WeChat shows template messages on the lock screen. */
    private Map<String, String> values(Visit v) {
        Map<String, String> values = new HashMap<>();
        values.put("code", v.code());
        values.put("name", v.summary().maskedName());
        values.put("category", categories.label(v.summary().category()));
        values.put("place", areas.byCode(v.stationCode()).map(t -> t.name() + v.summary().village()).orElse(v.summary().village()));
        values.put("dueYear", Integer.toString(v.due().getYear()));
        values.put("dueMonth", Integer.toString(v.due().getMonthValue()));
        values.put("dueDay", Integer.toString(v.due().getDayOfMonth()));
        return values;
    }
}
