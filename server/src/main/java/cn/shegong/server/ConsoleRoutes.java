package cn.shegong.server;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.ConsoleService;
import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Passwords;
import cn.shegong.admin.api.ApiException;
import cn.shegong.admin.api.AuditApi;
import cn.shegong.admin.api.AuthApi;
import cn.shegong.admin.api.ConsoleGate;
import cn.shegong.admin.api.ListsApi;
import cn.shegong.admin.api.CaseApi;
import cn.shegong.admin.api.CaseMediaApi;
import cn.shegong.admin.api.CorrectionsApi;
import cn.shegong.admin.api.DashboardApi;
import cn.shegong.admin.api.DeadlineView;
import cn.shegong.admin.api.DeliveryView;
import cn.shegong.admin.api.ExportApi;
import cn.shegong.admin.api.FiguresApi;
import cn.shegong.admin.api.HouseholdApi;
import cn.shegong.admin.api.HouseholdFormApi;
import cn.shegong.admin.api.ImportApi;
import cn.shegong.admin.api.MonitoringApi;
import cn.shegong.admin.api.ReportApi;
import cn.shegong.admin.api.RosterApi;
import cn.shegong.admin.api.RoutingApi;
import cn.shegong.admin.api.StaffApi;
import cn.shegong.admin.api.TrainingApi;
import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.intake.CaseNotifier;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.outbound.WeChatApi;
import cn.shegong.bot.worker.WorkerNotices;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.CaseMerge;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.Outcomes;
import cn.shegong.core.households.HouseholdImport;
import cn.shegong.core.households.ImportJobs;
import cn.shegong.core.households.RegistryFigures;
import cn.shegong.core.households.RegistrySnapshot;
import cn.shegong.core.households.VisitSearch;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.report.CaseFigures;
import cn.shegong.core.report.DashboardFigures;
import cn.shegong.core.time.Kept;
import cn.shegong.core.report.MonthlyReport;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.staff.Worker;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.text.Texts;
import com.mongodb.client.MongoDatabase;

import io.helidon.webserver.http.HttpRouting;

/**
 * The admin socket's routes, wired by hand: the console's pages and every API behind them, in front
 * of them the security headers and the sign-in filter, and the errors mapped in one place. It owns
 * what only the console uses: the registry's import jobs and figures.
 */
final class ConsoleRoutes implements AutoCloseable {

    /** What the console's APIs are built from (the service's stores, notifiers and settings). */
    record Parts(MongoDatabase db, FieldCipher cipher, Path dataDir, String wechatApiBase, List<String> trustedProxies, Clock clock,
                 Texts texts, Vocabulary words, AuditLog audit, Redis redis, Areas areas, AccountStore accounts, CaseStore cases,
                 MessageStore messages, ResidentStore residents, StaffStore staff, BindCodes bindCodes, WeChatApi wechat, MediaStore media,
                 CaseNotifier notifier, WorkerNotices workerNotices, OutboxStore outbox, CaseFlow flow, RegistryFlow households) {
    }

    private final Parts p;
    private final ImportJobs importJobs;
    private final RegistryFigures registryFigures;
    private final RegistrySnapshot registrySnapshot;
    private final Kept<java.time.LocalDate, Map<String, DashboardFigures.Counts>> dashboardRequests;

    ConsoleRoutes(Parts p) {
        this.p = p;
        this.importJobs = new ImportJobs(p.db(), new HouseholdImport(p.households().registry(), p.households().households(), p.areas(), p.households().careCategories(),
                p.staff()::responsibleFor, p.clock()), p.cipher(), p.texts(), p.dataDir(), p.clock());
        this.registryFigures = new RegistryFigures(p.db(), p.households().policy());
        this.registrySnapshot = new RegistrySnapshot(registryFigures, p.clock());
        // The dashboard's requests: every township's counts, read in one pass, at most 20 seconds old.
        DashboardFigures requests = new DashboardFigures(p.db());
        this.dashboardRequests = new Kept<>(java.time.Duration.ofSeconds(20), p.clock(), "dashboard", requests::byTownship);
    }

    void install(HttpRouting.Builder r) {
        Clock clock = p.clock();
        AuditLog audit = p.audit();
        ConsoleGate gate = new ConsoleGate();
        var auth = new AuthApi(p.accounts(), audit, p.redis(), p.trustedProxies(), gate, clock);
        r.addFilter(ConsoleService.securityHeaders(List.of(origin(p.wechatApiBase()), "https://mp.weixin.qq.com")))
                .addFilter(gate)
                .register(auth)
                .register(new CaseApi(p.cases(), p.messages(), p.residents(), p.staff(), p.media(), p.notifier(), p.workerNotices(),
                        new DeadlineView(p.flow().deadlines(), new Deadlines(p.flow().calendar()), p.flow().calendar(), p.flow().urgentAlerts(), clock),
                        new Outcomes(), new DeliveryView(p.outbox(), p.cases()), audit, clock))
                .register(new StaffApi(p.staff(), p.bindCodes(), p.wechat(), audit, clock))
                .register(new CorrectionsApi(p.cases(), audit, clock))
                .register(new CaseMediaApi(p.cases(), p.media(), audit, clock))
                .register(new HouseholdApi(p.households().households(), p.households().registry(), p.staff(), p.areas(), p.households().careCategories(), p.households().policy(), audit, clock))
                .register(new ImportApi(importJobs, audit, clock))
                .register(new HouseholdFormApi(p.households().households(), p.households().registry(), p.staff(), p.areas(), p.households().careCategories(), audit, clock))
                .register(new RoutingApi(p.flow().rules(), p.flow().router(), p.cases(), p.areas(), new Outcomes(), p.flow().sweep()::routeSoon,
                        p.flow().urgentAlerts(), new CaseMerge(p.db(), p.messages()), p.notifier(),
                        (from, into) -> p.texts().render(BotText.NOTIFY_MERGED, Map.of("from", from, "into", into)), audit, clock))
                .register(new RosterApi(p.flow().rosters(), p.staff(), audit, clock))
                .register(new MonitoringApi(p.households().monitoring(), p.households().registry(), p.households().households(), p.areas(), audit, clock))
                .register(new FiguresApi(registryFigures, p.households().monitoring(), p.households().careCategories(), clock))
                .register(new TrainingApi(p.households().trainings(), p.staff(), Shegong.CITY_AREA, audit, clock))
                .register(new ExportApi(p.cases(), p.households().households(), p.staff(), p.households().careCategories(), c -> p.words().label(c.category()),
                        c -> p.words().label(c.status()), audit, clock))
                .register(new DashboardApi(dashboardRequests, registrySnapshot, p.households().monitoring(), p.households().careCategories(), p.areas(),
                        this::categoryLabel, clock))
                .register(new ReportApi(new MonthlyReport(new CaseFigures(p.db()), registryFigures, p.households().monitoring(), p.households().careCategories(),
                        this::categoryLabel, code -> p.areas().byCode(code).map(t -> t.county() + t.name()).orElse(code), p.households().trainings(),
                        id -> p.staff().worker(id).map(Worker::stationCode)), p.areas(), audit, clock))
                .register(new AuditApi(audit, clock))
                .register(new ListsApi(new VisitSearch(p.db(), p.households().visits(), p.households().policy()), p.households().monitoring(), p.households().households(), p.staff(), p.areas(),
                        p.households().careCategories(), c -> p.words().label(c), audit, clock))
                .register(new ConsoleService())
                .error(ApiException.class, auth::error)
                .error(IllegalArgumentException.class, auth::malformed)
                .error(java.time.format.DateTimeParseException.class, auth::malformed)
                .error(Passwords.Busy.class, auth::busy);
    }

    ImportJobs importJobs() {
        return importJobs;
    }

    RegistryFigures registryFigures() {
        return registryFigures;
    }

    private String categoryLabel(String code) {
        return p.words().label(Category.fromCode(code).orElse(Category.OTHER));
    }

    /** scheme://host:port of a URL (where WeChat, or the fake, serves QR code images). */
    private static String origin(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }

    @Override
    public void close() {
        importJobs.close();
        registrySnapshot.close();
        dashboardRequests.close();
    }
}
