package cn.shegong.server;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import cn.shegong.admin.account.AccountStore;
import cn.shegong.admin.account.Role;
import cn.shegong.core.audit.AuditLog;
import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.dialogue.Dialogue;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.intake.CaseNotifier;
import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.bot.intake.Intake;
import cn.shegong.bot.intake.IntakeKit;
import cn.shegong.bot.intake.Vocabulary;
import cn.shegong.bot.triage.Triage;
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
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.households.ImportJobs;
import cn.shegong.core.households.RegistryFigures;
import cn.shegong.core.staff.Rosters;
import cn.shegong.bot.routing.CaseSweep;
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
    private final RegistryFlow households;
    private final ConsoleRoutes console;
    private final CaseFlow flow;
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
        this.messages = new MessageStore(mongo.database(), cipher);
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
        this.outbox = new Outbox(outboxStore, residents, wechatApi, new TemplateBindings(texts), redis,
                config.wechat().sendsPerSecond(), clock, meters);
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
        this.flow = CaseFlow.wire(mongo.database(), cases, staff, notifier, workerNotices, outbox, texts, words, config, clock);
        flow.deadlines().ensureIndexes();
        this.households = RegistryFlow.wire(mongo.database(), cipher, staff, outbox, areas, clock);
        Intake intake = new Intake(new IntakeKit(Triage.fromTemplates(Optional.of(config.dataDir().resolve("models"))), words, texts,
                areas, cases, residents, messages, media, households.monitoring(), flow.alerts(), conversations,
                workerNotices, new Menus(), flow.onOpened(clock), clock));
        this.mediaFetcher = new MediaFetcher(media, wechatApi, clock);
        this.workerDialogue = new WorkerDialogue(new WorkerKit(staff, bindCodes, cases, messages, residents, media, mediaFetcher,
                households.households(), households.visits(), households.registry(), households.careCategories(), flow.urgentAlerts(),
                flow.deadlines(), households.trainings(),
                notifier, outbox,
                conversations, audit, redis, texts, words, clock), intake);
        this.webhook = new WebhookService(config.wechat(), redis, cipher, messages, residents, outboxStore, outbox,
                seams.conversation().apply(new Dialogue(texts, intake, workerDialogue)), conversations, handlers, clock, meters,
                () -> !mongo.reachable());
        this.console = new ConsoleRoutes(new ConsoleRoutes.Parts(mongo.database(), cipher, config.dataDir(), config.wechat().apiBase(),
                config.trustedProxies(), clock, texts, words, audit, redis, areas, accounts, cases, messages, residents, staff, bindCodes,
                wechatApi, media, notifier, workerNotices, outboxStore, flow, households));
        this.server = WebServer.builder()
                .host(config.host())
                .port(config.serverPort())
                .featuresDiscoverServices(false)
                .routing(r -> r.register(webhook)
                        .error(WebhookRejectedException.class, webhook::rejected))
                .putSocket(ADMIN_SOCKET, s -> s.host(config.adminHost()).port(config.adminPort()))
                .routing(ADMIN_SOCKET, console::install)
                .addFeature(Observe.feature(ADMIN_SOCKET, mongo, redis))
                .build()
                .start();
        if (!server.isRunning()) { // Helidon logs a failed bind and goes on, ports -1: a "ready" that is not
            throw new IllegalStateException("the web server did not start: is port " + config.serverPort() + " or "
                    + config.adminPort() + " already in use?");
        }
        if (seams.outboxWorker()) {
            outbox.start(scheduler);
            mediaFetcher.start();
            households.sweep().start();
            flow.sweep().start();
        }
        webhook.start();
    }

    public static Shegong start(ShegongConfig config, Clock clock) {
        return start(config, clock, Seams.NONE);
    }

    static Shegong start(ShegongConfig config, Clock clock, Seams seams) {
        Redis redis = Redis.open(config.redisUrl(), config.redisPrefix(), config.dataDir());
        Mongo mongo;
        try {
            mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir(),
                    Optional.of(Observe.mongoCommands(Metrics.globalRegistry())));
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
        try {
            Observe.embeddedScans(Metrics.globalRegistry(), mongo);
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

    /** Households under care, their visits, monitoring, trainings. */
    RegistryFlow households() {
        return households;
    }

    RegistryFigures registryFigures() {
        return console.registryFigures();
    }

    Rosters rosters() {
        return flow.rosters();
    }

    CaseSweep caseSweep() {
        return flow.sweep();
    }

    ImportJobs importJobs() {
        return console.importJobs();
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
        households.sweep().stop();
        flow.sweep().stop();
        console.close();
        scheduler.shutdownNow();
        handlers.shutdown();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        messages.close();
        residents.close();
        mongo.close();
        redis.close();
    }
}
