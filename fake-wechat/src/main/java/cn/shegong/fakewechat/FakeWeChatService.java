package cn.shegong.fakewechat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.time.AdjustableClock;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The fake's HTTP face. {@code /cgi-bin/**} is the WeChat API; {@code /_fake/**} is for tests and
 * the simulator:
 * <ul>
 *   <li>{@code GET /_fake/calls} — every recorded API call, oldest first; {@code DELETE} clears them</li>
 *   <li>{@code POST /_fake/faults} {@code {"path","errcode"|"httpStatus"|"delayMillis","times"}}; {@code DELETE} clears</li>
 *   <li>{@code POST /_fake/clock} {@code {"advanceSeconds": N}} — moves the shared clock forward</li>
 *   <li>{@code GET /_fake/received?openid=…} — what a user received (customer-service and template messages)</li>
 *   <li>{@code POST /_fake/users/{openid}/say} {@code {"text"}}, {@code …/follow} {@code {"scene"}}, {@code …/unfollow},
 *       {@code …/click} {@code {"key"}}, {@code …/image}, {@code …/voice} {@code {"text"}},
 *       {@code …/location} {@code {"lat","lng","label"}} — a user acts in WeChat; answers what WeChat made of the push:
 *       {@code {"ok", "attempts", "reply", "failure"}} (when a {@link FakePlatform} is attached)</li>
 *   <li>{@code GET /_fake/faults} — the injected faults still to come; {@code POST /_fake/demo/{action}} — what the
 *       demo's service lets the simulator trigger (e.g. {@code sweep}, {@code outbox})</li>
 *   <li>{@code POST /_fake/reset} — forgets calls, faults and what users received; the clock goes back to now</li>
 *   <li>{@code GET /_fake/menu} — the menu the account last uploaded (for the simulator)</li>
 * </ul>
 */
public final class FakeWeChatService implements HttpService {

    private final FakeWeChat fake;
    private final Optional<AdjustableClock> clock;
    private final Optional<FakePlatform> platform;

    public FakeWeChatService(FakeWeChat fake, Optional<AdjustableClock> clock, Optional<FakePlatform> platform) {
        this.fake = fake;
        this.clock = clock;
        this.platform = platform;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any("/cgi-bin/*", this::api)
                .get("/_fake/calls", (req, res) -> json(res, fake.calls().stream().map(FakeWeChatService::call).toList()))
                .delete("/_fake/calls", (req, res) -> {
                    fake.clearCalls();
                    res.status(Status.NO_CONTENT_204).send();
                })
                .post("/_fake/faults", this::addFault)
                .get("/_fake/faults", (req, res) -> json(res, fake.faults().stream().map(f -> Map.of("path", f.path(),
                        "errcode", f.errcode(), "httpStatus", f.httpStatus(), "times", f.times())).toList()))
                .post("/_fake/demo/{action}", (req, res) -> {
                    var done = platform.flatMap(p -> p.demoAction(req.path().pathParameters().get("action")));
                    if (done.isEmpty()) {
                        res.status(Status.NOT_FOUND_404).send("no such demo action");
                    } else {
                        json(res, done.get());
                    }
                })
                .delete("/_fake/faults", (req, res) -> {
                    fake.clearFaults();
                    res.status(Status.NO_CONTENT_204).send();
                })
                .post("/_fake/clock", this::advanceClock)
                .post("/_fake/reset", (req, res) -> {
                    fake.reset();
                    clock.ifPresent(c -> c.advance(c.offset().negated()));
                    res.status(Status.NO_CONTENT_204).send();
                })
                .post("/_fake/users/{openid}/{action}", this::userActs)
                .get("/_fake/menu", (req, res) -> json(res, fake.menu().orElse(Map.of())))
                .get("/_fake/received", (req, res) -> json(res,
                        fake.received(req.query().first("openid").orElse("")).stream().map(r -> Map.of(
                                "seq", r.seq(), "at", r.at().toString(), "kind", r.kind(), "payload", r.payload())).toList()));
    }

    private void api(ServerRequest req, ServerResponse res) {
        Map<String, String> query = new LinkedHashMap<>();
        req.query().names().forEach(name -> query.put(name, req.query().first(name).orElse("")));
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(10 * 1024 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String contentType = req.headers().contentType().map(HttpMediaType::text).orElse(null);
        FakeWeChat.Answer answer = fake.handle(req.prologue().method().text(), req.path().path(), query, body, contentType);
        res.status(Status.create(answer.status()));
        res.headers().contentType(HttpMediaType.create(answer.contentType()));
        answer.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
        res.send(answer.body());
    }

    private void userActs(ServerRequest req, ServerResponse res) {
        if (platform.isEmpty()) {
            res.status(Status.CONFLICT_409).send("no webhook attached to this fake");
            return;
        }
        String openid = req.path().pathParameters().get("openid");
        Map<String, Object> body = req.headers().contentLength().orElse(0) > 0 ? read(req) : Map.of();
        FakePlatform p = platform.get();
        WeChatPush.Delivery d = switch (req.path().pathParameters().get("action")) {
            case "say" -> p.says(openid, String.valueOf(body.getOrDefault("text", "")));
            case "tap" -> p.taps(openid, String.valueOf(body.getOrDefault("text", "")), String.valueOf(body.getOrDefault("menuId", "")));
            case "follow" -> p.follow(openid, Optional.ofNullable((String) body.get("scene")));
            case "unfollow" -> p.unfollow(openid);
            case "click" -> p.clicks(openid, String.valueOf(body.getOrDefault("key", "")));
            case "image" -> p.sendsImage(openid);
            case "voice" -> p.speaks(openid, (String) body.get("text"));
            case "scan" -> p.scans(openid, String.valueOf(body.getOrDefault("ticket", ""))).orElse(null);
            case "location" -> p.sharesLocation(openid, decimal(body, "lat"), decimal(body, "lng"),
                    String.valueOf(body.getOrDefault("label", "")));
            default -> null;
        };
        if (d == null) {
            res.status(Status.NOT_FOUND_404).send();
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("ok", d.ok());
        answer.put("attempts", d.attempts());
        answer.put("reply", d.replyText().orElse(null));
        answer.put("failure", d.failure());
        json(res, answer);
    }

    private void addFault(ServerRequest req, ServerResponse res) {
        Map<String, Object> f = read(req);
        fake.inject(new Fault((String) f.getOrDefault("path", "/cgi-bin/"), number(f, "errcode"), number(f, "httpStatus"),
                number(f, "delayMillis"), Math.max(1, number(f, "times"))));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void advanceClock(ServerRequest req, ServerResponse res) {
        if (clock.isEmpty()) {
            res.status(Status.CONFLICT_409).send("this fake runs on the system clock");
            return;
        }
        clock.get().advance(Duration.ofSeconds(number(read(req), "advanceSeconds")));
        json(res, Map.of("offsetSeconds", clock.get().offset().toSeconds()));
    }

    private static Map<String, Object> call(RecordedCall c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", c.seq());
        m.put("at", c.at().toString());
        m.put("method", c.method());
        m.put("path", c.path());
        m.put("query", c.query());
        m.put("body", c.body());
        m.put("errcode", c.errcode());
        m.put("httpStatus", c.httpStatus());
        return m;
    }

    private static Map<String, Object> read(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            return FakeWeChat.JSON.readValue(in, FakeWeChat.MAP);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.intValue() : 0;
    }

    private static double decimal(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    private static void json(ServerResponse res, List<?> value) {
        send(res, value);
    }

    private static void json(ServerResponse res, Map<String, ?> value) {
        send(res, value);
    }

    private static void send(ServerResponse res, Object value) {
        try {
            res.headers().contentType(HttpMediaType.create("application/json; charset=UTF-8"));
            res.send(FakeWeChat.JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
