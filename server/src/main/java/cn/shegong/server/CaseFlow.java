package cn.shegong.server;

import java.time.Clock;

import cn.shegong.bot.intake.Alerts;
import cn.shegong.bot.intake.CaseNotifier;
import cn.shegong.bot.intake.IntakeKit;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.routing.CaseSweep;
import cn.shegong.bot.worker.WorkerNotices;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.routing.Router;
import cn.shegong.core.routing.RuleStore;
import cn.shegong.core.routing.WorkCalendar;
import cn.shegong.core.staff.Rosters;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.UrgentAlerts;
import cn.shegong.core.text.Texts;
import com.mongodb.client.MongoDatabase;

/**
 * How a request is held to a person and a time, wired together: the routing rules and router, the
 * deadlines on the working-day calendar, duty rosters and urgent alerts, and the sweep that routes
 * and escalates. {@link #onOpened} is what the intake calls when it opens a request.
 */
record CaseFlow(DeadlineStore deadlines, RuleStore rules, Router router, WorkCalendar calendar, Rosters rosters, UrgentAlerts urgentAlerts,
                Alerts alerts, CaseSweep sweep) {

    static CaseFlow wire(MongoDatabase db, CaseStore cases, StaffStore staff, CaseNotifier notifier, WorkerNotices workerNotices,
                         Outbox outbox, Texts texts, Vocabulary words, ShegongConfig config, Clock clock) {
        DeadlineStore deadlines = new DeadlineStore(db);
        RuleStore rules = new RuleStore(db);
        Router router = new Router(rules, staff, db);
        WorkCalendar calendar = new WorkCalendar();
        Rosters rosters = new Rosters(db);
        UrgentAlerts urgentAlerts = new UrgentAlerts(db);
        Alerts alerts = new Alerts(outbox, staff, rosters, urgentAlerts, texts, words, config.onDutyOpenids(), clock);
        CaseSweep sweep = new CaseSweep(cases, deadlines, router, new Deadlines(calendar), staff, notifier, workerNotices, alerts,
                config.autoRouting(), clock);
        return new CaseFlow(deadlines, rules, router, calendar, rosters, urgentAlerts, alerts, sweep);
    }

    /** A request was opened: held to its deadlines from now, and routed at once. */
    IntakeKit.CaseOpened onOpened(Clock clock) {
        return id -> {
            deadlines.open(id, clock.instant());
            sweep.routeSoon(id);
        };
    }
}
