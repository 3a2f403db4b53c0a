package cn.shegong.fakewechat;

import java.net.URI;
import java.util.Optional;

import cn.shegong.core.time.AdjustableClock;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * The fake WeChat platform on its own port: the API at its root, as {@code api.weixin.qq.com} would
 * be, and the WeChat simulator page at {@code /simulator/} (templates/simulator/).
 */
public final class FakeWeChatServer implements AutoCloseable {

    private final WebServer server;
    private final String host;

    private final Optional<FakePlatform> platform;

    private FakeWeChatServer(WebServer server, String host, Optional<FakePlatform> platform) {
        this.server = server;
        this.host = host;
        this.platform = platform;
    }

    /** The users' side, when one is attached (the demo wires its actions into it). */
    public Optional<FakePlatform> platform() {
        return platform;
    }

    public static FakeWeChatServer start(String host, int port, FakeWeChat fake, Optional<AdjustableClock> clock) {
        return start(host, port, fake, clock, Optional.empty());
    }

    /** With a platform attached, users can act through {@code /_fake/users/…} (the simulator, {@code ./shegong say}). */
    public static FakeWeChatServer start(String host, int port, FakeWeChat fake, Optional<AdjustableClock> clock,
                                         Optional<FakePlatform> platform) {
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                .featuresDiscoverServices(false)
                .routing(r -> r.register(new FakeWeChatService(fake, clock, platform))
                        .register("/simulator", StaticContentService.builder("simulator").welcomeFileName("index.html").build()))
                .build()
                .start();
        if (!server.isRunning()) { // Helidon logs a failed bind and goes on
            throw new IllegalStateException("the fake WeChat did not start: is port " + port + " already in use?");
        }
        return new FakeWeChatServer(server, host, platform);
    }

    /** What the service's {@code WECHAT_API_BASE} should be. */
    public URI uri() {
        return URI.create("http://" + host + ":" + server.port());
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
