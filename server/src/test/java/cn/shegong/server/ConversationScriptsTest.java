package cn.shegong.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import cn.shegong.admin.account.Role;
import cn.shegong.bot.outbound.Outbox;
import cn.shegong.core.casework.Case;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.Pushes;
import cn.shegong.fakewechat.WeChatPush;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every scenario in src/test/resources/conversations/ (its README describes the format)
 * against the whole service: each turn is pushed through the fake WeChat as the platform would,
 * staff act through the console's API, the outbox is run after each turn, and replies, cases,
 * notes, media, alerts and what people received are checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationScriptsTest {

    static final Path SCRIPTS = Path.of("src/test/resources/conversations");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "scripts-admin-password";
    /** {@code -Dscripts.regenerate=true}: write each turn's whole reply into its script as "heard" (after a wording change on purpose). */
    static final boolean REGENERATE = Boolean.getBoolean("scripts.regenerate");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(code|samecode|case|number):(\\w+)}");

    RunningService service;
    final AtomicLong runs = new AtomicLong();

    @BeforeAll
    void start() throws Exception {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(c -> c, false));
        service.shegong.accounts().create("scripts", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, service.clock.instant());
    }

    /** Signed in afresh for each staff action: a script may move the clock past a session's end. */
    private ConsoleClient console() throws Exception {
        ConsoleClient console = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, console.login("scripts", PASSWORD).statusCode());
        return console;
    }

    @AfterAll
    void stop() {
        service.close();
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
        }
    }

    /** One run of a script: its people, workers and what each has seen so far. */
    final class Run {
        final String name;
        final Map<String, String> openids = new HashMap<>();
        final Map<String, String> workers = new HashMap<>();
        final Map<String, String> lastPush = new HashMap<>();
        final Map<String, Integer> seen = new HashMap<>();
        final Map<String, String> codes = new HashMap<>();
        final Map<Integer, String> heard = new HashMap<>();

        Run(String name) {
            this.name = name;
        }

        String openid(String alias) {
            return openids.computeIfAbsent(alias, a -> "o-" + name + "-" + a);
        }

        Case latestCase(String alias) {
            return service.shegong.cases().forResident(openid(alias)).get(0);
        }
    }

    void run(Path file) throws Exception {
        JsonNode script;
        try (InputStream in = Files.newInputStream(file)) {
            script = JSON.readTree(in);
        }
        Run run = new Run(file.getFileName().toString().replace(".json", "") + "-" + runs.incrementAndGet());
        script.path("workers").fields().forEachRemaining(w -> addWorker(run, w.getKey(), w.getValue()));
        long alertsBefore = alerts();
        int n = 0;
        for (JsonNode turn : script.get("turns")) {
            String where = file.getFileName() + " turn " + (++n);
            if (turn.has("clock_hours")) {
                service.clock.advance(Duration.ofHours(turn.get("clock_hours").asLong()));
            } else if (turn.has("staff")) {
                staff(run, turn);
            } else if (turn.has("code_for")) {
                fill(run, "{code:" + turn.get("code_for").asText() + "}");
            } else if (turn.has("fetch_media")) {
                service.shegong.mediaFetcher().runOnce();
            } else {
                push(run, turn, n - 1, where);
            }
            service.clock.advance(Outbox.MENU_AFTER_REPLY); // what follows a reply (messages, then a menu) is due now
            service.shegong.outbox().runOnce();
            if (turn.has("from") || turn.has("case_of")) {
                checkReceived(run, turn.has("from") ? turn.get("from").asText() : turn.get("case_of").asText(), iterable(turn, "received"),
                        List.of(), where);
            }
            java.util.Set<String> others = new java.util.TreeSet<>();
            turn.path("received_by").fieldNames().forEachRemaining(others::add);
            turn.path("not_received_by").fieldNames().forEachRemaining(others::add);
            for (String other : others) {
                checkReceived(run, other, iterable(turn.path("received_by").path(other)), iterable(turn.path("not_received_by").path(other)), where);
            }
        }
        if (REGENERATE) {
            ScriptFiles.writeHeard(file, script, run.heard);
        }
        String where = file.getFileName().toString();
        new ScriptChecks(service, run.openids, run.workers).cases(script.path("cases"), where);
        script.path("bound").fields().forEachRemaining(b -> assertEquals(b.getValue().asBoolean(),
                service.shegong.staff().worker(run.workers.get(b.getKey())).orElseThrow().openid().isPresent(), where + ": " + b.getKey() + " bound"));
        if (script.has("alerts")) {
            assertEquals(script.get("alerts").asLong(), alerts() - alertsBefore, where + ": urgent alerts to the fallback duty list");
        }
    }

    private void addWorker(Run run, String alias, JsonNode spec) {
        var role = cn.shegong.core.staff.Worker.Role.valueOf(spec.path("role").asText("WORKER"));
        List<cn.shegong.core.casework.Category> skills = new ArrayList<>();
        spec.path("skills").forEach(s -> skills.add(cn.shegong.core.casework.Category.fromCode(s.asText()).orElseThrow()));
        run.workers.put(alias, service.shegong.staff().addWorker(alias, spec.get("station").asText(), role, skills, 10).id());
        run.openid(alias);
    }

    private void push(Run run, JsonNode turn, int index, String where) {
        String alias = turn.get("from").asText();
        String openid = run.openid(alias);
        WeChatPush.Delivery d;
        if (turn.has("scan_bind_qr")) {
            d = scanBindQr(run, openid, turn.get("scan_bind_qr").asText());
        } else if (turn.has("tap")) {
            d = tap(openid, turn.get("tap").asText(), where);
        } else {
            String xml = turn.has("again") ? run.lastPush.get(alias) : pushXml(run, turn, openid);
            run.lastPush.put(alias, xml);
            d = service.platform.pushes(openid, xml);
        }
        assertTrue(d.ok(), where + ": " + d.failure());
        assertEquals(1, d.attempts(), where + ": answered on WeChat's first try");
        String reply = d.replyText().orElse("");
        String heard = ScriptFiles.normalize(reply, run.openids.values().stream()
                .flatMap(o -> service.shegong.cases().forResident(o).stream()).toList());
        if (REGENERATE) {
            run.heard.put(index, heard);
        } else if (turn.has("heard")) {
            assertEquals(turn.get("heard").asText(), heard, where + ": the whole reply (regenerate with -Dscripts.regenerate=true if the wording changed on purpose)");
        }
        for (JsonNode want : iterable(turn, "reply")) {
            assertTrue(reply.contains(want.asText()), where + ": reply lacks «" + want.asText() + "»:\n" + reply);
        }
        for (JsonNode unwanted : iterable(turn, "not")) {
            assertFalse(reply.contains(unwanted.asText()), where + ": reply has «" + unwanted.asText() + "»:\n" + reply);
        }
        if (turn.path("no_reply").asBoolean()) {
            assertTrue(d.reply().isEmpty(), where + ": expected no passive reply, got " + reply);
        }
    }

    /** Taps the option labelled {@code label} in the newest menu message the person received that has it. */
    @SuppressWarnings("unchecked")
    private WeChatPush.Delivery tap(String openid, String label, String where) {
        List<FakeWeChat.Received> all = service.fakeApi.received(openid);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).payload().get("msgmenu") instanceof Map<?, ?> menu) {
                for (Map<String, Object> option : (List<Map<String, Object>>) menu.get("list")) {
                    if (label.equals(option.get("content"))) {
                        return service.platform.taps(openid, label, String.valueOf(option.get("id")));
                    }
                }
            }
        }
        throw new AssertionError(where + ": no menu message received has an option «" + label + "»");
    }

    /** The console makes a binding code with its QR code; the person scans the QR image's ticket. */
    private WeChatPush.Delivery scanBindQr(Run run, String openid, String worker) {
        try {
            JsonNode made = console().act("/api/workers/" + run.workers.get(worker) + "/bind-code", Map.of());
            String ticket = made.get("qr").asText().replaceAll(".*ticket=", "");
            return service.platform.scans(openid, java.net.URLDecoder.decode(ticket, java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String pushXml(Run run, JsonNode turn, String openid) {
        long now = service.clock.instant().getEpochSecond();
        long msgId = service.platform.nextMsgId();
        if (turn.has("follow")) {
            return Pushes.event(openid, now, "subscribe", "qrscene_" + turn.get("follow").asText());
        }
        if (turn.has("image")) {
            service.platform.holdsMedia("media-" + msgId, false);
            return Pushes.image(openid, now, msgId, "media-" + msgId);
        }
        if (turn.has("location")) {
            return Pushes.location(openid, now, msgId, 25.1, 99.2, turn.get("location").asText());
        }
        if (turn.has("voice")) {
            service.platform.holdsMedia("media-" + msgId, true);
            return Pushes.voice(openid, now, msgId, "media-" + msgId, turn.get("voice").asText());
        }
        String text = fill(run, turn.get("say").asText());
        if (text.startsWith("LONG:")) {
            text = "我家里的情况说来话长，".repeat(Integer.parseInt(text.substring(5)) / 11);
        }
        return Pushes.text(openid, now, msgId, text);
    }

    /** {code:W} a fresh binding code for worker W, {samecode:W} the last one made; {case:P} and {number:P} the short code and number of P's latest case. */
    private String fill(Run run, String text) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "code" -> {
                    String code = service.shegong.bindCodes().create(run.workers.get(m.group(2)), service.clock.instant());
                    run.codes.put(m.group(2), code);
                    yield code;
                }
                case "samecode" -> run.codes.get(m.group(2));
                case "case" -> run.latestCase(m.group(2)).shortCode();
                default -> run.latestCase(m.group(2)).number();
            };
            m.appendReplacement(out, value);
        }
        return m.appendTail(out).toString();
    }

    /** What staff do in the console, through its API (the visit, which has no console action yet, through the notifier). */
    private void staff(Run run, JsonNode turn) throws Exception {
        Case c = run.latestCase(turn.get("case_of").asText());
        String path = "/api/cases/" + c.id();
        switch (turn.get("staff").asText()) {
            case "assign" -> console().act(path + "/assign", Map.of("version", c.version(),
                    "workerId", turn.has("worker") ? run.workers.get(turn.get("worker").asText()) : ""));
            case "close" -> console().act(path + "/close", Map.of("version", c.version(), "summary", turn.path("summary").asText(""),
                    "outcomes", List.of(Map.of("code", "resolved"))));
            case "visit" -> {
                assertTrue(service.shegong.cases().changeStatus(c.id(), c.version(), Case.Status.IN_PROGRESS, "visited", "", service.clock.instant()));
                service.shegong.notifier().visited(c);
            }
            default -> throw new IllegalArgumentException("unknown staff action " + turn.get("staff"));
        }
    }

    /** What the person received since the last check (customer-service texts and template values) contains each expected piece. */
    private void checkReceived(Run run, String alias, List<JsonNode> wanted, List<JsonNode> unwanted, String where) {
        String openid = run.openid(alias);
        List<FakeWeChat.Received> all = service.fakeApi.received(openid);
        List<FakeWeChat.Received> fresh = all.subList(run.seen.getOrDefault(openid, 0), all.size());
        run.seen.put(openid, all.size());
        StringBuilder text = new StringBuilder();
        fresh.forEach(r -> text.append(r.payload()).append('\n'));
        for (JsonNode want : wanted) {
            assertTrue(text.toString().contains(want.asText()), where + ": " + alias + " received no «" + want.asText() + "»:\n" + text);
        }
        for (JsonNode not : unwanted) {
            assertFalse(text.toString().contains(not.asText()), where + ": " + alias + " received «" + not.asText() + "»:\n" + text);
        }
    }

    /** Urgent alerts the fallback on-duty worker actually received in WeChat (not merely queued). */
    private long alerts() {
        return service.fakeApi.received(RunningService.DUTY).stream()
                .filter(r -> "SG_DEMO_URGENT_CASE_01".equals(r.payload().get("template_id"))).count();
    }

    private static List<JsonNode> iterable(JsonNode turn, String field) {
        return iterable(turn.path(field));
    }

    private static List<JsonNode> iterable(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        node.forEach(out::add);
        return out;
    }
}
