package cn.shegong.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Reads {@code application.yaml} defaults, lets environment variables override them, and
 * validates the result into a {@link ShegongConfig}. Each setting has one environment variable
 * name; the YAML key beside it is only the default. Errors name the variable, never its value.
 */
public final class ConfigLoader {

    private static final Pattern SENDS_PER_SECOND = Pattern.compile("[1-9][0-9]{0,2}|1000");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{3,32}");
    private static final Pattern AES_KEY = Pattern.compile("[A-Za-z0-9]{43}");
    private static final Pattern APP_ID = Pattern.compile("wx[0-9A-Za-z]{16}");
    private static final Pattern PROXY = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9A-Fa-f:]{2,39}");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");

    private final Config yaml;
    private final Map<String, String> env;

    private ConfigLoader(Config yaml, Map<String, String> env) {
        this.yaml = yaml;
        this.env = env;
    }

    /** Loads from the {@code application.yaml} on the classpath and the given environment. */
    public static ShegongConfig load(Map<String, String> env) {
        Config yaml = Config.just(ConfigSources.classpath("application.yaml").optional());
        return new ConfigLoader(yaml, env).build();
    }

    private ShegongConfig build() {
        var wechat = new ShegongConfig.WeChat(
                required("WECHAT_APP_ID", "wechat.app-id", APP_ID, "wx followed by 16 letters or digits"),
                required("WECHAT_SECRET", "wechat.secret", Pattern.compile("\\S{1,128}"), "1 to 128 characters"),
                required("WECHAT_TOKEN", "wechat.token", TOKEN, "3 to 32 letters or digits"),
                optional("WECHAT_AES_KEY", "wechat.aes-key").map(v -> check("WECHAT_AES_KEY", v, AES_KEY, "43 letters or digits")),
                stripSlash(url("WECHAT_API_BASE", "wechat.api-base").toString()),
                Integer.parseInt(check("WECHAT_SENDS_PER_SECOND", optional("WECHAT_SENDS_PER_SECOND", "wechat.sends-per-second").orElse("20"),
                        SENDS_PER_SECOND, "a whole number from 1 to 1000")));
        return new ShegongConfig(
                optional("SERVER_HOST", "server.host").orElse("0.0.0.0"),
                port("SERVER_PORT", "server.port"),
                port("ADMIN_PORT", "admin.port"),
                optional("ADMIN_HOST", "admin.host").orElse("127.0.0.1"),
                wechat,
                optional("MONGODB_URI", "mongodb.uri").map(v -> check("MONGODB_URI", v,
                        Pattern.compile("mongodb(\\+srv)?://.+"), "a mongodb:// or mongodb+srv:// connection string")),
                optional("MONGODB_DATABASE", "mongodb.database").orElse("shegong"),
                optional("REDIS_URL", "redis.url").map(v -> parseUri("REDIS_URL", v, "redis")),
                check("REDIS_PREFIX", optional("REDIS_PREFIX", "redis.prefix").orElse("shegong:"), PREFIX,
                        "1 to 64 letters, digits or :_.-"),
                Path.of(optional("SHEGONG_DATA_DIR", "data.dir").orElse("data")),
                optional("SHEGONG_DATA_KEY", "data.key").map(v -> check("SHEGONG_DATA_KEY", v,
                        Pattern.compile("[A-Za-z0-9+/]{43}="), "a Base64 32-byte key (openssl rand -base64 32)")),
                optional("ONDUTY_OPENIDS", "onduty.openids").map(v -> java.util.Arrays.stream(v.split(","))
                        .map(String::strip).filter(x -> !x.isEmpty()).toList()).orElse(java.util.List.of()),
                optional("SHEGONG_ADMIN_PASSWORD", "admin.password").map(v -> check("SHEGONG_ADMIN_PASSWORD", v,
                        Pattern.compile("\\S{10,128}"), "10 to 128 characters without spaces")),
                check("ROUTING", optional("ROUTING", "routing.mode").orElse("auto"), Pattern.compile("auto|manual"), "auto or manual")
                        .equals("auto"),
                optional("TRUSTED_PROXIES", "admin.trusted-proxies").map(v -> java.util.Arrays.stream(v.split(","))
                        .map(String::strip).filter(x -> !x.isEmpty())
                        .map(x -> check("TRUSTED_PROXIES", x, PROXY, "IP addresses or IPv4 CIDR ranges, separated by commas")).toList())
                        .orElse(java.util.List.of()));
    }

    private Optional<String> optional(String envName, String yamlKey) {
        String fromEnv = env.get(envName);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(fromEnv.trim());
        }
        return yaml.get(yamlKey).asString().asOptional().map(String::trim).filter(v -> !v.isEmpty());
    }

    private String required(String envName, String yamlKey, Pattern pattern, String expected) {
        String value = optional(envName, yamlKey)
                .orElseThrow(() -> new ConfigException(envName + " is required (" + expected + ")"));
        return check(envName, value, pattern, expected);
    }

    private static String check(String envName, String value, Pattern pattern, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw new ConfigException(envName + " is malformed: expected " + expected);
        }
        return value;
    }

    private int port(String envName, String yamlKey) {
        String value = optional(envName, yamlKey)
                .orElseThrow(() -> new ConfigException(envName + " is required (a port number)"));
        try {
            int port = Integer.parseInt(value);
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(envName + " is malformed: expected a port number from 0 to 65535");
        }
    }

    private URI url(String envName, String yamlKey) {
        String value = optional(envName, yamlKey)
                .orElseThrow(() -> new ConfigException(envName + " is required (an http or https URL)"));
        return parseUri(envName, value, "http");
    }

    private static URI parseUri(String envName, String value, String schemePrefix) {
        try {
            URI uri = new URI(value);
            boolean sentinels = uri.getScheme() != null && uri.getScheme().endsWith("-sentinel") && uri.getRawAuthority() != null;
            if (uri.getScheme() == null || !uri.getScheme().startsWith(schemePrefix) || (uri.getHost() == null && !sentinels)) {
                throw new URISyntaxException(value, "scheme or host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(envName + " is malformed: expected a " + schemePrefix + "… URL with a host");
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
