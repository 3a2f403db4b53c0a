package cn.shegong.fakewechat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The WeChat API as documented (shared/wechat.md §4), in memory: tokens, followers and their
 * 48-hour window, customer-service and template messages, the menu, media. It validates like
 * WeChat, can be told to fail ({@link Fault}), records every call, and keeps what each user
 * received so a simulator can show it. Users act on the platform side through {@link #follow},
 * {@link #interact} and {@link #unfollow}.
 */
public final class FakeWeChat {

    /** The answer to one API call: an HTTP status, a content type and a body. */
    public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer json(Object value) {
            try {
                return new Answer(200, "application/json; charset=UTF-8", JSON.writeValueAsBytes(value), Map.of());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static Answer error(int errcode) {
            return json(Map.of("errcode", errcode, "errmsg", WxErrors.message(errcode)));
        }

        int errcode() {
            try {
                Object code = JSON.readValue(body, MAP).get("errcode");
                return code instanceof Number n ? n.intValue() : 0;
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /** Something a user received, in order: a customer-service message or a template message. */
    public record Received(long seq, Instant at, String kind, Map<String, Object> payload) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    static final Duration WINDOW = Duration.ofHours(48);
    /** Customer-service messages allowed after one user message within the window (current rule). */
    static final int WINDOW_QUOTA = 5;
    static final int TEMPLATE_VALUE_MAX = 20;

    private final Clock clock;
    private final FakeTokens tokens;
    private final FakeTokenEndpoints tokenEndpoints;
    private final Map<String, FakeUser> users = new ConcurrentHashMap<>();
    private final FakeCallLog log = new FakeCallLog();
    private final FakeMedia media;
    private final AtomicLong seq = new AtomicLong();
    private final FakeQrCodes qr;
    private final FakeMessages messages;
    private volatile Map<String, Object> menu;

    /** Receives WeChat's asynchronous TEMPLATESENDJOBFINISH reports (the push side posts them to the webhook). */
    public interface TemplateReports {
        void report(String openid, long msgId, String status);
    }

    public FakeWeChat(String appId, String secret, Clock clock) {
        this.clock = clock;
        this.tokens = new FakeTokens(clock);
        this.tokenEndpoints = new FakeTokenEndpoints(appId, secret, tokens);
        this.qr = new FakeQrCodes(clock);
        this.media = new FakeMedia(clock);
        this.messages = new FakeMessages(users, clock, seq);
    }

    // ---- the platform side: what users do, and what tests tell the fake --------------------------

    public void follow(String openid) {
        FakeUser user = users.computeIfAbsent(openid, id -> new FakeUser(id, clock.instant()));
        user.subscribed = true;
        interact(openid);
    }

    /** The user sent a message, tapped the menu or scanned: the 48-hour window opens again. */
    public void interact(String openid) {
        FakeUser user = users.computeIfAbsent(openid, id -> new FakeUser(id, clock.instant()));
        synchronized (user) { // as a send counts against the window under the same lock
            user.lastInteraction = clock.instant();
            user.sentSinceInteraction = 0;
        }
    }

    public void unfollow(String openid) {
        Optional.ofNullable(users.get(openid)).ifPresent(u -> u.subscribed = false);
    }

    public void blacklist(String openid) {
        Optional.ofNullable(users.get(openid)).ifPresent(u -> u.blacklisted = true);
    }

    /** The user refuses template messages: sends succeed, the delivery report says {@code failed:user block}. */
    public void blockTemplates(String openid) {
        Optional.ofNullable(users.get(openid)).ifPresent(u -> u.blocksTemplates = true);
    }

    /** A template the account added from the library; any other id is refused with 40037. */
    public void registerTemplate(String templateId) {
        messages.registerTemplate(templateId);
    }

    public void onTemplateReports(TemplateReports reports) {
        messages.onTemplateReports(reports);
    }

    public void addMedia(String mediaId, byte[] bytes) {
        media.add(mediaId, bytes);
    }

    /** Someone refreshed the token elsewhere: every token the service holds stops working (40001). */
    public boolean follows(String openid) {
        FakeUser user = users.get(openid);
        return user != null && user.subscribed;
    }

    /** The scene a scan of this QR ticket reports, while the code lives. */
    public Optional<String> qrScene(String ticket) {
        return qr.scene(ticket);
    }

    public void invalidateTokens() {
        tokens.invalidateAll();
    }

    public void inject(Fault fault) {
        log.inject(fault);
    }

    public void clearFaults() {
        log.clearFaults();
    }

    public List<Fault> faults() {
        return log.faults();
    }

    public List<RecordedCall> calls() {
        return log.calls();
    }

    public void clearCalls() {
        log.clearCalls();
    }

    /** Blocks until the recorded calls satisfy {@code condition} or the timeout passes; returns the calls. */
    public List<RecordedCall> awaitCalls(Predicate<List<RecordedCall>> condition, Duration timeout) throws InterruptedException {
        return log.awaitCalls(condition, timeout);
    }

    /** Forgets recorded calls, injected faults and what users received (users and tokens stay). */
    public void reset() {
        log.clear();
        messages.clear();
    }

    /** The custom menu the account last uploaded through menu/create. */
    public Optional<Map<String, Object>> menu() {
        return Optional.ofNullable(menu);
    }

    public List<Received> received(String openid) {
        return messages.received(openid);
    }

    /** Every user that received something, with what they received, oldest first. */
    public Map<String, List<Received>> receivedByUser() {
        return messages.receivedByUser();
    }

    // ---- the API side ------------------------------------------------------------------------------

    /** Handles one API call: applies injected faults, answers as WeChat would, records the call. */
    public Answer handle(String method, String path, Map<String, String> query, byte[] body, String contentType) {
        long n = seq.incrementAndGet();
        Instant at = clock.instant();
        Map<String, Object> json = parseJson(body, contentType);
        Fault fault = log.takeFault(path);
        Answer answer;
        if (fault != null && fault.delayMillis() > 0) {
            sleep(fault.delayMillis());
        }
        if (fault != null && fault.httpStatus() > 0) {
            answer = new Answer(fault.httpStatus(), "text/html", "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8), Map.of());
        } else if (fault != null && fault.errcode() != 0) {
            answer = Answer.error(fault.errcode());
        } else {
            answer = route(path, query, json, body, contentType);
        }
        log.record(new RecordedCall(n, at, method, path, Map.copyOf(query), json,
                answer.contentType().startsWith("application/json") ? answer.errcode() : 0, answer.status()));
        return answer;
    }

    private Answer route(String path, Map<String, String> query, Map<String, Object> json, byte[] body, String contentType) {
        if (path.equals("/cgi-bin/token")) {
            return tokenEndpoints.token(query);
        }
        if (path.equals("/cgi-bin/stable_token")) {
            return tokenEndpoints.stableToken(json);
        }
        if (path.equals("/cgi-bin/showqrcode")) {
            return qr.show(query.get("ticket")); // an image anyone may fetch: no access token
        }
        int tokenCheck = tokens.check(query.get("access_token"));
        if (tokenCheck != 0) {
            return Answer.error(tokenCheck);
        }
        return switch (path) {
            case "/cgi-bin/message/custom/send" -> messages.customSend(json);
            case "/cgi-bin/message/template/send" -> messages.templateSend(json);
            case "/cgi-bin/menu/create" -> FakeMenu.validate(json).map(Answer::error).orElseGet(() -> {
                menu = json;
                return Answer.error(0);
            });
            case "/cgi-bin/menu/get", "/cgi-bin/get_current_selfmenu_info" ->
                    menu == null ? Answer.error(46003) : Answer.json(Map.of("menu", menu));
            case "/cgi-bin/media/upload" -> media.upload(query, body, contentType, "FAKE_MEDIA_" + seq.incrementAndGet());
            case "/cgi-bin/media/get" -> media.get(query.getOrDefault("media_id", ""));
            case "/cgi-bin/qrcode/create" -> qr.create(json);
            case "/cgi-bin/user/info" -> userInfo(query);
            default -> Answer.json(Map.of("errcode", 40066, "errmsg", "invalid url"));
        };
    }

    private Answer userInfo(Map<String, String> query) {
        FakeUser user = users.get(query.getOrDefault("openid", ""));
        if (user == null) {
            return Answer.error(40003);
        }
        if (!user.subscribed) {
            return Answer.json(Map.of("subscribe", 0, "openid", user.openid));
        }
        return Answer.json(Map.of("subscribe", 1, "openid", user.openid, "language", "zh_CN",
                "subscribe_time", user.subscribedAt.getEpochSecond(), "subscribe_scene", "ADD_SCENE_QR_CODE"));
    }

    private static Map<String, Object> parseJson(byte[] body, String contentType) {
        if (body.length == 0 || (contentType != null && contentType.startsWith("multipart/"))) {
            return Map.of();
        }
        try {
            return JSON.readValue(body, MAP);
        } catch (IOException e) {
            return Map.of("_unparsed", new String(body, StandardCharsets.UTF_8));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
