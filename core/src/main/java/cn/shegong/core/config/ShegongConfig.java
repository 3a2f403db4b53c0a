package cn.shegong.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything the service needs to start, read once and validated by {@link ConfigLoader}.
 * {@code autoRouting}: new requests are assigned by the routing rules ({@code ROUTING=auto}, the
 * default), or only held to their deadlines while staff assign them ({@code ROUTING=manual}).
 * Secrets are kept out of {@link #toString()} so the record can never leak them into a log.
 */
public record ShegongConfig(
        String host,
        int serverPort,
        int adminPort,
        String adminHost,
        WeChat wechat,
        Optional<String> mongodbUri,
        String mongodbDatabase,
        Optional<URI> redisUrl,
        String redisPrefix,
        Path dataDir,
        Optional<String> dataKey,
        java.util.List<String> onDutyOpenids,
        Optional<String> adminPassword,
        boolean autoRouting,
        java.util.List<String> trustedProxies) {

    /** The WeChat Official Account this instance serves. */
    /** {@code sendsPerSecond}: the account's sends (customer-service and template messages) a second, across replicas. */
    public record WeChat(String appId, String secret, String token, Optional<String> aesKey, String apiBase, int sendsPerSecond) {
        @Override
        public String toString() {
            return "WeChat[appId=" + appId + ", secret=***, token=***, aesKey="
                    + aesKey.map(k -> "***").orElse("none") + ", apiBase=" + apiBase + ", sendsPerSecond=" + sendsPerSecond + "]";
        }
    }

    public ShegongConfig withPorts(int server, int admin) {
        return new ShegongConfig(host, server, admin, adminHost, wechat, mongodbUri, mongodbDatabase, redisUrl, redisPrefix, dataDir,
                dataKey, onDutyOpenids, adminPassword, autoRouting, trustedProxies);
    }

    @Override
    public String toString() {
        return "ShegongConfig[host=" + host + ", serverPort=" + serverPort + ", adminPort=" + adminPort + ", adminHost=" + adminHost
                + ", wechat=" + wechat + ", mongodb=" + mongodbUri.map(u -> "external").orElse("embedded")
                + ", database=" + mongodbDatabase + ", redis=" + redisUrl.map(u -> "external").orElse("embedded")
                + ", redisPrefix=" + redisPrefix + ", dataDir=" + dataDir + ", dataKey=" + dataKey.map(k -> "***").orElse("file")
                + ", onDuty=" + onDutyOpenids.size() + ", adminPassword=" + adminPassword.map(k -> "***").orElse("none")
                + ", routing=" + (autoRouting ? "auto" : "manual") + "]";
    }
}
