package cn.shegong.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import java.util.Optional;

import cn.shegong.fakewechat.WeChatPush;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.config.ShegongConfig;

/** Settings and helpers for tests that start the whole service on free ports. */
final class TestService {

    static final String APP_ID = "wxba5fad812f8e6fb9";
    static final String TOKEN = "AAAAA";
    static final String SECRET = "test-secret";
    /** Tencent's sample EncodingAESKey; configured so every test can push in safe mode too. */
    static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private TestService() {
    }

    /** The environment of a service on free loopback ports with its data under {@code dataDir}. */
    static Map<String, String> env(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_HOST", "127.0.0.1");
        env.put("SERVER_PORT", "0");
        env.put("ADMIN_PORT", "0");
        env.put("WECHAT_APP_ID", APP_ID);
        env.put("WECHAT_SECRET", SECRET);
        env.put("WECHAT_TOKEN", TOKEN);
        env.put("WECHAT_AES_KEY", AES_KEY);
        env.put("SHEGONG_DATA_DIR", dataDir.toString());
        env.put("ROUTING", "manual"); // tests of staff assigning by hand; RoutingTest turns it on
        return env;
    }

    static Shegong start(Map<String, String> env, Clock clock) {
        ShegongConfig config = ConfigLoader.load(env);
        return Shegong.start(config, clock);
    }

    static WeChatPush wechat(Shegong shegong) {
        return new WeChatPush(URI.create("http://127.0.0.1:" + shegong.port()), APP_ID, TOKEN, Optional.of(AES_KEY));
    }
}
