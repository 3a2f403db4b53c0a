package cn.shegong.core.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("WECHAT_APP_ID", "wxba5fad812f8e6fb9");
        env.put("WECHAT_SECRET", "s3cr3t-value");
        env.put("WECHAT_TOKEN", "AAAAA");
        env.put("SERVER_PORT", "8080");
        env.put("ADMIN_PORT", "8081");
        env.put("WECHAT_API_BASE", "https://api.weixin.qq.com/");
        return env;
    }

    @Test
    void minimalEnvironmentGivesEmbeddedDefaults() {
        ShegongConfig config = ConfigLoader.load(minimal());
        assertEquals(8080, config.serverPort());
        assertEquals(8081, config.adminPort());
        assertTrue(config.mongodbUri().isEmpty(), "no MONGODB_URI means embedded MongoDB");
        assertTrue(config.redisUrl().isEmpty(), "no REDIS_URL means embedded Redis");
        assertEquals(Path.of("data"), config.dataDir());
        assertEquals("https://api.weixin.qq.com", config.wechat().apiBase(), "trailing slash removed: WxJava appends paths");
        assertEquals(20, config.wechat().sendsPerSecond());
    }

    @Test
    void environmentOverridesEverySetting() {
        Map<String, String> env = minimal();
        env.put("MONGODB_URI", "mongodb://db1:27017,db2:27017/?replicaSet=rs0");
        env.put("REDIS_URL", "redis://cache:6379");
        env.put("SHEGONG_DATA_DIR", "/var/lib/shegong");
        env.put("WECHAT_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
        env.put("WECHAT_SENDS_PER_SECOND", "100");
        ShegongConfig config = ConfigLoader.load(env);
        assertEquals(100, config.wechat().sendsPerSecond());
        for (String outOfRange : new String[] {"0", "1001"}) {
            env.put("WECHAT_SENDS_PER_SECOND", outOfRange);
            assertThrows(ConfigException.class, () -> ConfigLoader.load(env), outOfRange);
        }
        env.put("WECHAT_SENDS_PER_SECOND", "100");
        assertEquals("mongodb://db1:27017,db2:27017/?replicaSet=rs0", config.mongodbUri().orElseThrow());
        assertEquals("cache", config.redisUrl().orElseThrow().getHost());
        env.put("REDIS_URL", "redis-sentinel://:secret@sentinel1:26379,sentinel2:26379/shegong/2");
        assertEquals("redis-sentinel", ConfigLoader.load(env).redisUrl().orElseThrow().getScheme(), "Sentinel: several hosts, no single one");
        assertEquals(Path.of("/var/lib/shegong"), config.dataDir());
        assertTrue(config.wechat().aesKey().isPresent());
    }

    @Test
    void secretsNeverAppearInToString() {
        Map<String, String> env = minimal();
        env.put("WECHAT_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
        env.put("MONGODB_URI", "mongodb://admin:hunter2@db:27017");
        String printed = ConfigLoader.load(env).toString();
        for (String secret : new String[] {"s3cr3t-value", "AAAAA", "abcdefghijklmnop", "hunter2"}) {
            assertFalse(printed.contains(secret), () -> "leaked " + secret + " in " + printed);
        }
    }

    @Nested
    class Refused {

        @Test
        void missingRequiredSettingIsNamed() {
            Map<String, String> env = minimal();
            env.remove("WECHAT_TOKEN");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env));
            assertTrue(e.getMessage().startsWith("WECHAT_TOKEN is required"), e.getMessage());
        }

        @Test
        void malformedValuesAreNamedWithoutEchoingThem() {
            Map<String, String> cases = Map.of(
                    "WECHAT_AES_KEY", "too-short-key-value",
                    "WECHAT_TOKEN", "has spaces in it",
                    "SERVER_PORT", "80800",
                    "WECHAT_APP_ID", "not-an-app-id",
                    "MONGODB_URI", "postgres://db",
                    "REDIS_URL", "not a url",
                    "WECHAT_API_BASE", "ftp://example",
                    "WECHAT_SENDS_PER_SECOND", "lots");
            cases.forEach((key, bad) -> {
                Map<String, String> env = minimal();
                env.put(key, bad);
                ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(env), key);
                assertTrue(e.getMessage().startsWith(key + " is malformed"), e.getMessage());
                assertFalse(e.getMessage().contains(bad), "the value itself may be a secret: " + e.getMessage());
            });
        }
    }
}
