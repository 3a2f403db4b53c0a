package cn.shegong.core.config;

/** A missing or malformed setting. The message names the environment variable and never its value. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
