package cn.shegong.server;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import cn.shegong.core.config.ConfigException;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.StorageUnavailableException;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.server.bench.FloorService;
import cn.shegong.server.bench.Scratch;
import cn.shegong.server.bench.WebhookBench;

import io.helidon.logging.common.LogConfig;

/**
 * The command line: {@code serve} runs the service on the configured stores, {@code demo} runs it
 * on embedded defaults with a demo account, {@code say} sends a signed text to a running instance
 * the way WeChat would. Start-up problems end in one line naming the setting, never a stack trace.
 */
public final class Main {

    /** Settings that make {@code demo} work with nothing configured; the environment still wins. */
    static final Map<String, String> DEMO_DEFAULTS = Map.of(
            "SERVER_HOST", "127.0.0.1",
            "WECHAT_APP_ID", "wxd3m0000000000001",
            "WECHAT_SECRET", "demo-secret",
            "WECHAT_TOKEN", "shegongdemo",
            "SHEGONG_DATA_DIR", "data/demo",
            "ONDUTY_OPENIDS", Demo.DUTY_WORKER);

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        JsonLogs.applyIfAsked(System.getenv());
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            int code = switch (command) {
                case "serve" -> rest.isEmpty() ? serve(System.getenv()) : unknown("serve " + String.join(" ", rest));
                case "demo" -> rest.stream().allMatch("--reset"::equals) ? demo(rest) : unknown("demo " + String.join(" ", rest));
                case "say" -> Say.run(demoEnv(), rest, System.out);
                case "fake-wechat" -> fakeWeChat();
                case "mongo" -> MongoCommand.run(rest, java.nio.file.Path.of(System.getenv().getOrDefault("SHEGONG_DATA_DIR", "data")), System.out);
                case "triage" -> TriageCommand.run(rest, System.in, System.out);
                case "admin" -> AdminCommand.run(ConfigLoader.load(System.getenv()), rest, System.out);
                case "worker" -> WorkerCommand.run(ConfigLoader.load(System.getenv()), rest, System.out);
                case "import" -> ImportCommand.run(ConfigLoader.load(System.getenv()), rest, System.out);
                case "bench" -> rest.isEmpty() ? unknown("bench") : switch (rest.get(0)) {
                    case "webhook" -> WebhookBench.run(rest.subList(1, rest.size()), System.out);
                    case "burst" -> cn.shegong.server.bench.BurstBench.run(rest.subList(1, rest.size()), System.out);
                    case "logins" -> cn.shegong.server.bench.LoginsBench.run(rest.subList(1, rest.size()), System.out);
                    case "inbox" -> InboxBench.run(rest.subList(1, rest.size()), System.out);
                    case "visits" -> cn.shegong.server.bench.VisitsBench.run(rest.subList(1, rest.size()), System.out, new BenchStarter());
                    default -> unknown("bench " + rest.get(0));
                };
                case "bench-floor" -> FloorService.run();
                case "aot-train" -> cn.shegong.server.bench.AotTraining.run(rest, System.out);
                case "cluster-check" -> ClusterCheck.run(rest, System.out);
                case "fault-check" -> FaultCheck.run(rest, System.out);
                case "menu" -> rest.equals(List.of("push"))
                        ? MenuCommand.push(ConfigLoader.load(System.getenv()), System.out) : unknown("menu " + String.join(" ", rest));
                case "help", "-h", "--help" -> help(System.out);
                default -> unknown(command);
            };
            System.exit(code);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
        } catch (StorageUnavailableException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(3);
        } catch (Exception e) {
            System.err.println(command + " failed: " + e);
            System.exit(1);
        }
    }

    static Map<String, String> demoEnv() {
        Map<String, String> env = new HashMap<>(DEMO_DEFAULTS);
        env.putAll(System.getenv());
        return env;
    }

    private static int demo(List<String> args) {
        Map<String, String> env = demoEnv();
        if (args.contains("--reset")) {
            Scratch.deleteTree(Path.of(env.get("SHEGONG_DATA_DIR")));
        }
        Demo.Running demo = Demo.start(env);
        printReady(System.out, demo.config(), demo.shegong(), true);
        System.out.println("  WeChat simulator " + demo.fake().uri() + "/simulator/?console=http://" + Demo.loopback(demo.config()) + ":"
                + demo.shegong().adminPort() + "/   (phones: residents, the station's head and worker, the duty worker)");
        System.out.println("  Fake WeChat     " + demo.fake().uri() + "/_fake/calls   (what the service sent to WeChat)");
        System.out.println("  Try it          ./shegong say TEXT   (a user types TEXT; the reply is printed)");
        System.out.println("  Console accounts (user, role, area, password; kept in " + demo.config().dataDir().resolve("accounts.txt") + "):");
        Demo.demoAccounts(demo.shegong(), demo.config(), Clock.systemDefaultZone()).forEach(l -> System.out.println("    " + l));
        return runUntilStopped(demo);
    }

    private static int serve(Map<String, String> env) {
        ShegongConfig config = ConfigLoader.load(env);
        Shegong shegong = Shegong.start(config, clock(env));
        printReady(System.out, config, shegong, false);
        return runUntilStopped(shegong);
    }

    /**
     * The wall clock, or — for drills such as {@code cluster-check}, never in production — the wall
     * clock moved by {@code SHEGONG_CLOCK_SHIFT} (an ISO-8601 duration, e.g. {@code PT7H30M}), so
     * that several processes agree on a morning outside the quiet hours.
     */
    static Clock clock(Map<String, String> env) {
        String shift = env.get(ClusterCheck.CLOCK_SHIFT);
        if (shift == null || shift.isBlank()) {
            return Clock.systemDefaultZone();
        }
        try {
            return Clock.offset(Clock.systemDefaultZone(), java.time.Duration.parse(shift.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException(ClusterCheck.CLOCK_SHIFT + " must be an ISO-8601 duration such as PT7H30M");
        }
    }

    private static int fakeWeChat() {
        Map<String, String> env = demoEnv();
        ShegongConfig config = ConfigLoader.load(env);
        var fake = Demo.startFake(config, Demo.fakePort(env), new AdjustableClock(Clock.systemDefaultZone()));
        System.out.println("Fake WeChat API on " + fake.uri() + " for " + config.wechat().appId()
                + ", pushing to http://" + Demo.loopback(config) + ":" + config.serverPort() + "/wx/portal/" + config.wechat().appId());
        System.out.println("  Recorded calls  " + fake.uri() + "/_fake/calls");
        return runUntilStopped(fake);
    }

    private static int runUntilStopped(AutoCloseable running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                System.err.println("stopping: " + e.getMessage());
            }
            stopped.countDown();
        }, "shegong-shutdown"));
        System.out.println("Press Ctrl+C to stop.");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void printReady(PrintStream out, ShegongConfig config, Shegong shegong, boolean demo) {
        String host = Demo.loopback(config);
        out.println();
        out.println(demo ? "Shegong demo is ready." : "Shegong is ready.");
        out.println("  WeChat webhook  http://" + host + ":" + shegong.port() + "/wx/portal/" + config.wechat().appId());
        String admin = config.adminHost().equals("0.0.0.0") ? "127.0.0.1" : config.adminHost();
        out.println("  Console         http://" + admin + ":" + shegong.adminPort() + "/");
        out.println("  Health          http://" + admin + ":" + shegong.adminPort() + "/observe/health");
        out.println("  Data            " + config.dataDir().toAbsolutePath());
    }

    /** A typo in a script must not pass silently: say so, show the commands, exit 2. */
    private static int unknown(String what) {
        System.err.println("shegong: unknown command or argument: " + what);
        help(System.err);
        return 2;
    }

    private static int help(PrintStream out) {
        out.println("""
                Usage: ./shegong COMMAND

                  demo [--reset]   run everything on embedded storage with a demo account and a fake WeChat
                                   (data in data/demo; --reset starts clean)
                  serve            run the service with the configuration in the environment (see README)
                  say [--from OPENID] TEXT
                                   in a running demo, a WeChat user types TEXT; prints the reply
                  fake-wechat      run only the fake WeChat platform (API and users) for a service on SERVER_PORT
                  mongo [--port N] serve the data folder's embedded MongoDB-wire store on 127.0.0.1 (default 27017)
                                   for several service processes on one machine (MONGODB_URI); Ctrl-C stops it
                  admin create USERNAME [ROLE AREA]
                                   add a console account (CITY, COUNTY, STATION or AUDITOR) with a generated password
                  worker list      every worker with id, station and whether their WeChat is bound
                  worker bind-code WORKER_ID
                                   a one-time code (72 hours) the worker sends to bind their WeChat
                  import households FILE.csv
                                   the registry of households under care from a county's spreadsheet (saved as CSV)
                  menu push        upload templates/wechat/menu.json as the account's custom menu
                  triage [--eval FILE.tsv]
                                   classify lines from stdin as JSON, or evaluate on a labelled file
                  aot-train        (JDK 25+) record a start-up cache: the service under a training load on a
                                   throwaway store, so that serve and demo start warmer (see docs/operations.md)
                  bench webhook [--aot | --aot-cache FILE]
                                   measure the webhook's throughput and latency (see docs/benchmarks.md)
                  bench burst [--runs R] [--burst B] [--aot | --aot-cache FILE]
                                   the cold-start burst alone, R times, each against a fresh service
                  bench logins [--cpus C] [--requests N] [--rows R]
                                   the webhook while someone guesses passwords at the console
                  bench visits [--households N]
                                   enrol N households and time the daily visit sweep (see docs/benchmarks.md)
                  bench inbox [--cases N]
                                   seed N cases and time the console's inbox queries
                  cluster-check [--residents N]
                                   two service processes on one shared store, Redis and fake WeChat: counts
                                   messages, cases, notices, reminders and token refreshes across them, with
                                   a kill -9 of one (see docs/reliability.md)
                  fault-check [--residents N] [--outage SECONDS]
                                   under load on two replicas: MongoDB paused, Redis paused, Redis killed,
                                   a replica killed with kill -9; counts sent, answered, stored, twice, lost
                  test             run the whole test suite
                  help             show this list""");
        return 0;
    }
}
