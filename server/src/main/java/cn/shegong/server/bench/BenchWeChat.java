package cn.shegong.server.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.text.Texts;
import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;

/**
 * The fake WeChat a bench or a training run talks to — the account's templates registered, a duty
 * worker following — and the service's WeChat settings that point at it.
 */
final class BenchWeChat implements AutoCloseable {

    static final String APP_ID = "wxd3m0000000000001";
    static final String TOKEN = "shegongbench";
    private static final String DUTY = "o-bench-duty";

    private final FakeWeChat api;
    private final FakeWeChatServer server;

    private BenchWeChat(FakeWeChat api, FakeWeChatServer server) {
        this.api = api;
        this.server = server;
    }

    static BenchWeChat start() {
        FakeWeChat api = new FakeWeChat(APP_ID, "bench-secret", new AdjustableClock(Clock.systemUTC()));
        new TemplateBindings(new Texts()).templateIds().forEach(api::registerTemplate);
        api.follow(DUTY);
        return new BenchWeChat(api, FakeWeChatServer.start("127.0.0.1", 0, api, Optional.empty()));
    }

    /** The service's WeChat settings (a mutable copy, for the caller to add its own). */
    Map<String, String> env() {
        return new HashMap<>(Map.of("WECHAT_APP_ID", APP_ID, "WECHAT_SECRET", "bench-secret", "WECHAT_TOKEN", TOKEN,
                "WECHAT_API_BASE", server.uri().toString(), "ONDUTY_OPENIDS", DUTY));
    }

    /**
     * A load generator for the service at {@code base}, its people named {@code prefix}0, 1, … —
     * followers whose every push opens their 48-hour window again, so the service's answers sent
     * later (menus, notices) are delivered as WeChat would deliver them.
     */
    Load load(HttpClient http, URI base, int openids, String prefix) {
        return new Load(http, base, APP_ID, TOKEN, openids, prefix, api::follow);
    }

    /**
     * Waits, at most {@code limit}, until each of {@code openids} has received a message (the answer
     * to a push answered {@code success}, sent later); false if some had not by then.
     */
    boolean awaitAnswers(List<String> openids, Duration limit) throws InterruptedException {
        api.awaitCalls(calls -> openids.stream().noneMatch(o -> api.received(o).isEmpty()), limit);
        return openids.stream().noneMatch(o -> api.received(o).isEmpty());
    }

    @Override
    public void close() {
        server.close();
    }
}
