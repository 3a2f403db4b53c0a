package cn.shegong.server;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import cn.shegong.admin.ConsoleService;
import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Passwords;
import cn.shegong.admin.account.Role;
import cn.shegong.admin.api.AuthApi;
import cn.shegong.admin.api.CaseApi;
import cn.shegong.admin.api.CaseMediaApi;
import cn.shegong.admin.api.CorrectionsApi;
import cn.shegong.admin.api.FiguresApi;
import cn.shegong.admin.api.HouseholdApi;
import cn.shegong.admin.api.HouseholdFormApi;
import cn.shegong.admin.api.DeadlineView;
import cn.shegong.admin.api.ExportApi;
import cn.shegong.admin.api.ImportApi;
import cn.shegong.admin.api.DashboardApi;
import cn.shegong.admin.api.ReportApi;
import cn.shegong.admin.api.RosterApi;
import cn.shegong.admin.api.RoutingApi;
import cn.shegong.admin.api.TrainingApi;
import cn.shegong.core.casework.CaseMerge;
import cn.shegong.core.casework.Outcomes;
import cn.shegong.admin.api.MonitoringApi;
import cn.shegong.admin.api.StaffApi;
import cn.shegong.admin.api.ApiException;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Dialogue;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.intake.Alerts;
import cn.shegong.bot.intake.CaseNotifier;
import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.bot.intake.Intake;
import cn.shegong.bot.intake.IntakeKit;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.triage.Triage;
import cn.shegong.bot.visits.VisitSweep;
import cn.shegong.bot.worker.MediaFetcher;
import cn.shegong.bot.worker.WorkerDialogue;
import cn.shegong.bot.worker.WorkerKit;
import cn.shegong.bot.worker.WorkerNotices;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.bot.outbound.WeChatApi;
import cn.shegong.bot.wechat.WebhookRejectedException;
import cn.shegong.bot.wechat.WebhookService;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdImport;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.ImportJobs;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.RegistryFigures;
import cn.shegong.core.households.RiskSignals;
import cn.shegong.core.report.CaseFigures;
import cn.shegong.core.report.DashboardFigures;
import cn.shegong.core.report.MonthlyReport;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.routing.Deadlines;
import cn.shegong.core.routing.Router;
import cn.shegong.core.routing.RuleStore;
import cn.shegong.core.routing.WorkCalendar;
import cn.shegong.core.staff.Rosters;
import cn.shegong.core.staff.Trainings;
import cn.shegong.core.staff.UrgentAlerts;
import cn.shegong.bot.routing.CaseSweep;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.media.MediaStore;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.storage.Redis;
import cn.shegong.core.text.Texts;

import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;

/**
 * The whole service, wired by hand: stores, texts, the outbox and its sender, the WeChat webhook
 * on the public socket, the console, health and metrics on the admin socket. Closing it stops
 * everything it started.
 */
public final class Shegong implements AutoCloseable {

    static final String ADMIN_SOCKET = "admin";
    /** Baoshan's division code: the city admin's area. */
    static final String CITY_AREA = "530500";

    private final Mongo mongo;
    private final Redis redis;
    private final MessageStore messages;
    private final ResidentStore residents;
    private final OutboxStore outboxStore;
    private final Outbox outbox;
    private final WeChatApi wechatApi;
    private final CaseStore cases;
    private final CaseNotifier notifier;
    private final AccountStore accounts;
    private final StaffStore staff;
    private final BindCodes bindCodes;
    private final WorkerNotices workerNotices;
    private final MediaStore media;
    private final WorkerDialogue workerDialogue;
    private final HouseholdStore households;
    private final VisitStore visits;
    private final Registry registry;
    private final VisitSweep visitSweep;
    private final ImportJobs importJobs;
    private final DeadlineStore deadlineStore;
    private final RuleStore ruleStore;
    private final Router router;
    private final CaseSweep caseSweep;
    private final Rosters rosters;
    private final UrgentAlerts urgentAlerts;
    private final Trainings trainings;
    private final RegistryFigures registryFigures;
    private final MediaFetcher mediaFetcher;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("shegong-scheduler").factory());
    private final WebhookService webhook;
    private final WebServer server;

    /** What tests may change: wrap the dialogue (e.g. make it slow), or drive the outbox themselves. */
    record Seams(UnaryOperator<Conversation> conversation, boolean outboxWorker) {
        static final Seams NONE = new Seams(UnaryOperator.identity(), true);
    }

    private Shegong(ShegongConfig config, Clock clock, Mongo mongo, Redis redis, Seams seams) {
        this.mongo = mongo;
        this.redis = redis;
        FieldCipher cipher = FieldCipher.open(config.dataKey(), config.dataDir());
        this.messages = new MessageStore(mongo.database(), cipher, mongo::durable);
        this.residents = new ResidentStore(mongo.database());
        this.outboxStore = new OutboxStore(mongo.database(), cipher);
        Areas areas = Areas.baoshan();
        this.cases = new CaseStore(mongo.database(), cipher, areas);
        messages.ensureIndexes();
        residents.ensureIndexes();
        outboxStore.ensureIndexes();
        cases.ensureIndexes();
        MeterRegistry meters = Metrics.globalRegistry();
        Texts texts = new Texts();
        this.wechatApi = new WeChatApi(config.wechat(), redis);
        this.outbox = new Outbox(outboxStore, residents, wechatApi, new TemplateBindings(texts), redis, clock, meters);
        Vocabulary words = new Vocabulary();
        ConversationStore conversations = new ConversationStore(redis, cipher);
        this.notifier = new CaseNotifier(outbox, messages, texts, words, conversations, clock);
        this.accounts = new AccountStore(mongo.database());
        accounts.ensureIndexes();
        AuditLog audit = new AuditLog(mongo.database());
        audit.ensureIndexes();
        config.adminPassword().filter(p -> !accounts.exists(Role.CITY)).ifPresent(p ->
                accounts.create("admin", p, Role.CITY, CITY_AREA, true, clock.instant()));
        this.staff = new StaffStore(mongo.database());
        staff.ensureIndexes();
        staff.ensureStations(areas);
        this.bindCodes = new BindCodes(mongo.database(), cipher);
        this.workerNotices = new WorkerNotices(staff, residents, outbox, texts, words, clock);
        this.media = new MediaStore(mongo.database(), cipher);
        Monitoring monitoring = new Monitoring(mongo.database(), new RiskSignals(), cipher);
        this.deadlineStore = new DeadlineStore(mongo.database());
        this.ruleStore = new RuleStore(mongo.database());
        this.router = new Router(ruleStore, staff, mongo.database());
        WorkCalendar calendar = new WorkCalendar();
        Deadlines deadlines = new Deadlines(calendar);
        this.rosters = new Rosters(mongo.database());
        this.urgentAlerts = new UrgentAlerts(mongo.database());
        this.trainings = new Trainings(mongo.database());
        Alerts alerts = new Alerts(outbox, staff, rosters, urgentAlerts, texts, words, config.onDutyOpenids(), clock);
        this.caseSweep = new CaseSweep(cases, deadlineStore, router, deadlines, staff, notifier, workerNotices, alerts,
                config.autoRouting(), clock);
        Intake intake = new Intake(new IntakeKit(Triage.fromTemplates(Optional.of(config.dataDir().resolve("models"))), words, texts,
                areas, cases, residents, messages, media, monitoring, alerts, conversations,
                workerNotices, new Menus(), id -> {
                    deadlineStore.open(id, clock.instant());
                    caseSweep.routeSoon(id);
                }, clock));
        this.mediaFetcher = new MediaFetcher(media, wechatApi, clock);
        this.households = new HouseholdStore(mongo.database(), cipher);
        this.visits = new VisitStore(mongo.database(), cipher);
        VisitPolicy policy = new VisitPolicy();
        CareCategories careCategories = new CareCategories();
        this.registry = new Registry(households, visits, policy, monitoring);
        this.visitSweep = new VisitSweep(visits, staff, outbox, careCategories, policy, areas, clock);
        this.workerDialogue = new WorkerDialogue(new WorkerKit(staff, bindCodes, cases, messages, residents, media, mediaFetcher,
                households, visits, this.registry, careCategories, urgentAlerts, trainings,
                notifier, outbox,
                conversations, audit, redis, texts, words, clock), intake);
        this.webhook = new WebhookService(config.wechat(), redis, cipher, messages, residents, outboxStore, outbox,
                seams.conversation().apply(new Dialogue(texts, intake, workerDialogue)), handlers, clock, meters);
        var console = new ConsoleService();
        var auth = new AuthApi(accounts, audit, redis, clock);
        var caseApi = new CaseApi(cases, messages, residents, staff, media, notifier, workerNotices,
                new DeadlineView(deadlineStore, deadlines, calendar, urgentAlerts, clock), new Outcomes(), audit, clock);
        var staffApi = new StaffApi(staff, bindCodes, wechatApi, audit, clock);
        this.importJobs = new ImportJobs(mongo.database(), new HouseholdImport(registry, households, areas, careCategories, staff::responsibleFor, clock),
                cipher, texts, config.dataDir(), clock);
        this.registryFigures = new RegistryFigures(mongo.database(), policy);
        var householdApi = new HouseholdApi(households, registry, staff, areas, careCategories, policy, audit, clock);
        this.server = WebServer.builder()
                .host(config.host())
                .port(config.serverPort())
                .featuresDiscoverServices(false)
                .routing(r -> r.register(webhook)
                        .error(WebhookRejectedException.class, webhook::rejected))
                .putSocket(ADMIN_SOCKET, s -> s.host(config.adminHost()).port(config.adminPort()))
                .routing(ADMIN_SOCKET, r -> r.addFilter(ConsoleService.securityHeaders(List.of(origin(config.wechat().apiBase()),
                                "https://mp.weixin.qq.com"))).register(auth).register(caseApi).register(staffApi)
                        .register(new CorrectionsApi(cases, audit, clock))
                        .register(new CaseMediaApi(cases, media, audit, clock))
                        .register(householdApi).register(new ImportApi(importJobs, audit, clock))
                        .register(new HouseholdFormApi(households, registry, staff, areas, careCategories, audit, clock))
                        .register(new RoutingApi(ruleStore, router, cases, areas, new Outcomes(), caseSweep::routeSoon, urgentAlerts,
                                new CaseMerge(mongo.database(), messages), notifier,
                                (from, into) -> texts.render(BotText.NOTIFY_MERGED, Map.of("from", from, "into", into)), audit, clock))
                        .register(new RosterApi(rosters, staff, audit, clock))
                        .register(new MonitoringApi(monitoring, registry, households, areas, audit, clock))
                        .register(new FiguresApi(registryFigures, monitoring, careCategories, clock))
                        .register(new TrainingApi(trainings, staff, CITY_AREA, audit, clock))
                        .register(new ExportApi(cases, households, staff, careCategories, c -> words.label(c.category()),
                                c -> words.label(c.status()), audit, clock))
                        .register(new DashboardApi(new DashboardFigures(mongo.database()), registryFigures, monitoring, careCategories, areas,
                                code -> words.label(Category.fromCode(code).orElse(Category.OTHER)), clock))
                        .register(new ReportApi(new MonthlyReport(new CaseFigures(mongo.database()), registryFigures, monitoring,
                                careCategories, code -> words.label(Category.fromCode(code).orElse(Category.OTHER)),
                                code -> areas.byCode(code).map(t -> t.county() + t.name()).orElse(code), trainings,
                                id -> staff.worker(id).map(cn.shegong.core.staff.Worker::stationCode)), areas, audit, clock))
                        .register(console)
                        .error(ApiException.class, auth::error)
                        .error(IllegalArgumentException.class, auth::malformed)
                        .error(java.time.format.DateTimeParseException.class, auth::malformed)
                        .error(Passwords.Busy.class, auth::busy))
                .addFeature(Observe.feature(ADMIN_SOCKET, mongo, redis))
                .build()
                .start();
        if (seams.outboxWorker()) {
            outbox.start(scheduler);
            mediaFetcher.start();
            visitSweep.start();
            caseSweep.start();
        }
        webhook.start();
    }

    /** scheme://host:port of a URL (where WeChat, or the fake, serves QR code images). */
    private static String origin(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
    }

    public static Shegong start(ShegongConfig config, Clock clock) {
        return start(config, clock, Seams.NONE);
    }

    static Shegong start(ShegongConfig config, Clock clock, Seams seams) {
        Redis redis = Redis.open(config.redisUrl(), config.redisPrefix(), config.dataDir());
        Mongo mongo;
        try {
            mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir());
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        try {
            return new Shegong(config, clock, mongo, redis, seams);
        } catch (RuntimeException e) {
            mongo.close();
            redis.close();
            throw e;
        }
    }

    MessageStore messages() {
        return messages;
    }

    ResidentStore residents() {
        return residents;
    }

    OutboxStore outboxStore() {
        return outboxStore;
    }

    Outbox outbox() {
        return outbox;
    }

    CaseStore cases() {
        return cases;
    }

    CaseNotifier notifier() {
        return notifier;
    }

    AccountStore accounts() {
        return accounts;
    }

    /** Uploads templates/wechat/menu.json as the account's menu (demo start; production uses ./shegong menu push). */
    void pushMenu() throws cn.shegong.bot.outbound.SendFailure {
        wechatApi.createMenu(MenuCommand.menuJson());
    }

    StaffStore staff() {
        return staff;
    }

    HouseholdStore households() {
        return households;
    }

    RegistryFigures registryFigures() {
        return registryFigures;
    }

    Rosters rosters() {
        return rosters;
    }

    CaseSweep caseSweep() {
        return caseSweep;
    }

    DeadlineStore deadlines() {
        return deadlineStore;
    }

    ImportJobs importJobs() {
        return importJobs;
    }

    VisitStore visits() {
        return visits;
    }

    Registry registry() {
        return registry;
    }

    VisitSweep visitSweep() {
        return visitSweep;
    }

    WorkerDialogue workerDialogue() {
        return workerDialogue;
    }

    MediaFetcher mediaFetcher() {
        return mediaFetcher;
    }

    MediaStore media() {
        return media;
    }

    BindCodes bindCodes() {
        return bindCodes;
    }

    public int port() {
        return server.port();
    }

    public int adminPort() {
        return server.port(ADMIN_SOCKET);
    }

    @Override
    public void close() {
        server.stop();
        webhook.stop();
        mediaFetcher.stop();
        visitSweep.stop();
        caseSweep.stop();
        importJobs.close();
        scheduler.shutdownNow();
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messages.close();
        mongo.close();
        redis.close();
    }
}
