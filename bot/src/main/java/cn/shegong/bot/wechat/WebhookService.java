package cn.shegong.bot.wechat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

import cn.shegong.bot.dialogue.Conversation;
import cn.shegong.bot.intake.ConversationStore;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Redis;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The URL configured in the WeChat admin panel, {@code /wx/portal/{appid}}: GET verifies the
 * server, POST receives messages and events in plaintext, compatible or safe mode. Requests are
 * checked in order — our appid, the signature, the size, the XML, in safe mode the msg_signature
 * and the appid inside — and refused before anything is stored. Safe-mode pushes are answered
 * encrypted.
 */
public final class WebhookService implements HttpService {

    /** Far above any real push (a text is at most 2,048 characters), far below anything hostile. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    /** An oversized body up to this size is read and dropped before the 413; a larger one is cut off. */
    private static final long DRAINED_BYTES = 1024 * 1024;
    /**
     * A push signed further than this from our wall clock is refused: a captured request cannot be
     * replayed later, and inside the window its nonce is remembered (see {@link Claims}). Real time,
     * not the service's business clock (the demo moves that one forward).
     */
    static final long TIMESTAMP_WINDOW_SECONDS = 300;
    private static final Logger LOG = Logger.getLogger(WebhookService.class.getName());
    private static final HttpMediaType XML = HttpMediaType.create("text/xml; charset=UTF-8");
    private static final HttpMediaType PLAIN = HttpMediaType.create("text/plain; charset=UTF-8");

    private final String appId;
    private final String token;
    private final Optional<WxCrypto> crypto;
    private final Inbox inbox;
    private final WebhookMetrics metrics;
    private final SchedulerLag lag = new SchedulerLag();

    public WebhookService(ShegongConfig.WeChat wechat, Redis redis, FieldCipher cipher, MessageStore messages, ResidentStore residents,
                          OutboxStore outboxStore, Outbox outbox, Conversation conversation, ConversationStore states,
                          ExecutorService handlers, Clock clock, MeterRegistry registry, BooleanSupplier storeDown) {
        this.appId = wechat.appId();
        this.token = wechat.token();
        this.crypto = wechat.aesKey().map(key -> new WxCrypto(wechat.token(), key, wechat.appId()));
        this.metrics = new WebhookMetrics(registry);
        metrics.watch(lag);
        this.inbox = new Inbox(redis, cipher, messages, residents, outboxStore, outbox, conversation, states, handlers, clock, metrics,
                storeDown);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/wx/portal/{appid}", this::verifyServer)
                .post("/wx/portal/{appid}", this::receive);
    }

    /** Starts handling pushes kept while the webhook was too busy (and any a crash left behind). */
    public void start() {
        lag.start();
        inbox.start();
    }

    public void stop() {
        lag.stop();
        inbox.stop();
    }

    private void verifyServer(ServerRequest req, ServerResponse res) {
        checkAppIdAndSignature(req);
        res.send(req.query().first("echostr").orElse(""));
    }

    private void receive(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        try {
            answer(req, res, start + Inbox.REPLY_BUDGET.toNanos());
        } finally {
            metrics.answered(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void answer(ServerRequest req, ServerResponse res, long deadline) {
        checkAppIdAndSignature(req);
        checkTimestamp(req.query().first("timestamp").orElse(""));
        Map<String, String> body = WxXml.parse(readBody(req));
        Optional<WxCrypto> safe = crypto.filter(c -> "aes".equals(req.query().first("encrypt_type").orElse("")));
        String timestamp = req.query().first("timestamp").orElse("");
        String nonce = req.query().first("nonce").orElse("");
        if (safe.isPresent()) {
            String encrypt = body.get("Encrypt");
            if (encrypt == null || encrypt.isEmpty()) {
                throw new MalformedXmlException("missing Encrypt");
            }
            String plain = safe.get().decrypt(req.query().first("msg_signature").orElse(null), timestamp, nonce, encrypt);
            body = WxXml.parse(plain.getBytes(StandardCharsets.UTF_8));
        }
        String answer = inbox.receive(InboundMessage.from(body), timestamp + ":" + nonce, deadline);
        if (PassiveReply.SUCCESS.equals(answer)) {
            res.headers().contentType(PLAIN);
            res.send(answer);
            return;
        }
        res.headers().contentType(XML);
        res.send(safe.map(c -> c.encryptReply(answer, timestamp, nonce)).orElse(answer));
    }

    private void checkAppIdAndSignature(ServerRequest req) {
        if (!appId.equals(req.path().pathParameters().get("appid"))) {
            throw new WebhookRejectedException(404, "unknown_account", "no such account");
        }
        var query = req.query();
        if (!WxSignature.matches(query.first("signature").orElse(null), token,
                query.first("timestamp").orElse(null), query.first("nonce").orElse(null))) {
            throw new WebhookRejectedException(403, "bad_signature", "signature does not match");
        }
    }

    private static void checkTimestamp(String timestamp) {
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new WebhookRejectedException(400, "bad_timestamp", "timestamp is not a number");
        }
        if (Math.abs(System.currentTimeMillis() / 1000 - signedAt) > TIMESTAMP_WINDOW_SECONDS) {
            throw new WebhookRejectedException(403, "stale", "signed too far from now");
        }
    }

    private static byte[] readBody(ServerRequest req) {
        long declared = req.headers().contentLength().orElse(0);
        if (declared > MAX_BODY_BYTES) {
            if (declared <= DRAINED_BYTES) {
                req.content().consume(); // read and dropped, so closing the connection sends the 413, not a reset
            }
            throw new WebhookRejectedException(413, "too_large", "body over " + MAX_BODY_BYTES + " bytes");
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new WebhookRejectedException(413, "too_large", "body over " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one place where refused pushes become HTTP answers; registered by Main on the routing. */
    public void rejected(ServerRequest req, ServerResponse res, WebhookRejectedException e) {
        metrics.count(e.outcome());
        LOG.fine(() -> "refused push: " + e.outcome() + " (" + e.getMessage() + ")");
        if (e.status() == 413) {
            res.header(HeaderNames.CONNECTION, "close");
        }
        res.status(Status.create(e.status())).send(e.getMessage());
    }
}
