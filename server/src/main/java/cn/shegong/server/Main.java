package cn.shegong.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import cn.shegong.core.config.ConfigException;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.StorageUnavailableException;

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
            "SHEGONG_DATA_DIR", "data/demo");

    private Main() {
    }

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        String command = args.length == 0 ? "help" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        try {
            int code = switch (command) {
                case "serve" -> serve(System.getenv(), false);
                case "demo" -> demo(rest);
                case "say" -> Say.run(demoEnv(), rest, System.out);
                default -> help(System.out);
            };
            System.exit(code);
        } catch (ConfigException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
        } catch (StorageUnavailableException e) {
            System.err.println("Cannot start: " + e.getMessage());
            System.exit(3);
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
            deleteTree(Path.of(env.get("SHEGONG_DATA_DIR")));
        }
        return serve(env, true);
    }

    private static int serve(Map<String, String> env, boolean demo) {
        ShegongConfig config = ConfigLoader.load(env);
        Shegong shegong = Shegong.start(config, Clock.systemDefaultZone());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shegong.close();
            stopped.countDown();
        }, "shegong-shutdown"));
        printReady(System.out, config, shegong, demo);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void printReady(PrintStream out, ShegongConfig config, Shegong shegong, boolean demo) {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        out.println();
        out.println(demo ? "Shegong demo is ready." : "Shegong is ready.");
        out.println("  WeChat webhook  http://" + host + ":" + shegong.port() + "/wx/portal/" + config.wechat().appId());
        out.println("  Console         http://" + host + ":" + shegong.adminPort() + "/");
        out.println("  Health          http://" + host + ":" + shegong.adminPort() + "/observe/health");
        out.println("  Data            " + config.dataDir().toAbsolutePath());
        if (demo) {
            out.println("  Try it          ./shegong say TEXT   (signs and sends TEXT as WeChat would, prints the reply)");
        }
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }

    private static int help(PrintStream out) {
        out.println("""
                Usage: ./shegong COMMAND

                  demo [--reset]   run everything on embedded storage with a demo account (data in data/demo)
                  serve            run the service with the configuration in the environment (see README)
                  say TEXT         send TEXT to a running instance as a signed WeChat message; print the reply
                  test             run the whole test suite
                  help             show this list""");
        return 0;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot reset " + dir + ": " + e.getMessage(), e);
        }
    }
}
