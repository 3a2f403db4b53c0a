package cn.shegong.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.bot.outbound.SendFailure;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.text.Texts;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakePlatform;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;
import cn.shegong.fakewechat.WeChatPush;

/**
 * The fake WeChat platform for demo mode and {@code ./shegong fake-wechat}: its API (where the
 * service sends) on {@code FAKE_WECHAT_PORT}, with users who act through {@code /_fake/users/…}
 * and whose pushes go to the service's webhook. It shares an adjustable clock with the service.
 */
final class Demo {

    static final String FAKE_PORT = "FAKE_WECHAT_PORT";
    static final int DEFAULT_FAKE_PORT = 8089;
    /** The demo's on-duty social worker, a follower of the account who gets urgent alerts. */
    static final String DUTY_WORKER = "o-demo-duty-worker";

    private Demo() {
    }

    static int fakePort(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault(FAKE_PORT, Integer.toString(DEFAULT_FAKE_PORT)));
    }

    /** Starts the fake for an account configured by {@code config}, pushing to its webhook. */
    static FakeWeChatServer startFake(ShegongConfig config, int port, AdjustableClock clock) {
        FakeWeChat api = fakeApi(config, clock);
        String host = loopback(config);
        WeChatPush push = new WeChatPush(URI.create("http://" + host + ":" + config.serverPort()),
                config.wechat().appId(), config.wechat().token(), config.wechat().aesKey());
        FakePlatform platform = new FakePlatform(api, push, clock, config.wechat().aesKey().isPresent()
                ? WeChatPush.Mode.SAFE : WeChatPush.Mode.PLAINTEXT);
        return FakeWeChatServer.start(host, port, api, Optional.of(clock), Optional.of(platform));
    }

    /** The fake's API for the account of {@code config}: its templates registered, the demo's staff phones following it. */
    static FakeWeChat fakeApi(ShegongConfig config, Clock clock) {
        FakeWeChat api = new FakeWeChat(config.wechat().appId(), config.wechat().secret(), clock);
        new TemplateBindings(new Texts()).templateIds().forEach(api::registerTemplate);
        config.onDutyOpenids().forEach(api::follow);
        List.of(DemoSeed.HEAD_PHONE, DemoSeed.WORKER_PHONE, DemoSeed.SECOND_WORKER_PHONE).forEach(api::follow);
        return api;
    }

    /** The demo: fake WeChat first, then the service pointed at it. */
    static Running start(Map<String, String> env) {
        AdjustableClock clock = new AdjustableClock(Clock.systemDefaultZone());
        int fakePort = fakePort(env);
        Map<String, String> withFake = new HashMap<>(env);
        withFake.putIfAbsent("WECHAT_API_BASE", "http://127.0.0.1:" + fakePort);
        ShegongConfig config = ConfigLoader.load(withFake);
        FakeWeChatServer fake = startFake(config, fakePort, clock);
        try {
            Shegong shegong = Shegong.start(config, clock);
            DemoSeed.seedIfEmpty(shegong, clock);
            fake.platform().ifPresent(p -> {
                p.onDemoAction("morning", () -> DemoActions.nextMorning(shegong, clock));
                p.onDemoAction("outbox", () -> DemoActions.outbox(shegong));
            });
            try {
                shegong.pushMenu();
            } catch (SendFailure e) {
                System.err.println("The fake WeChat refused the menu: " + e.getMessage());
            }
            return new Running(config, fake, shegong);
        } catch (RuntimeException e) {
            fake.close();
            throw e;
        }
    }

    static String loopback(ShegongConfig config) {
        return config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
    }

    /** Demo console accounts: user, role, area; passwords are generated on first start and kept in the data folder. */
    private static final String[][] ACCOUNTS = {
            {"admin", "CITY", Shegong.CITY_AREA},
            {"shidian", "COUNTY", "530521"},
            {"yaoguan", "STATION", "530521103"},
            {"auditor", "AUDITOR", Shegong.CITY_AREA}};

    /** Creates the demo's console accounts once; returns the lines to print (user, role, password). */
    static List<String> demoAccounts(Shegong shegong, ShegongConfig config, Clock clock) {
        Path file = config.dataDir().resolve("accounts.txt");
        try {
            if (!Files.exists(file)) {
                List<String> lines = new ArrayList<>();
                for (String[] a : ACCOUNTS) {
                    String password = password();
                    if (shegong.accounts().create(a[0], password, Role.valueOf(a[1]), a[2], false, clock.instant())) {
                        lines.add(String.format("%-8s %-8s %s  %s", a[0], a[1], a[2], password));
                    }
                }
                Files.write(file, lines);
            }
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String password() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 14; i++) {
            p.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return p.toString();
    }

    record Running(ShegongConfig config, FakeWeChatServer fake, Shegong shegong) implements AutoCloseable {
        @Override
        public void close() {
            shegong.close();
            fake.close();
        }
    }
}
