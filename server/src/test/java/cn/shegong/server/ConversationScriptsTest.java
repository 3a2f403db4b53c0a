package cn.shegong.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

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
 * the outbox is run after each turn, and replies, cases, alerts and what people received are checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConversationScriptsTest {

    static final Path SCRIPTS = Path.of("src/test/resources/conversations");
    static final ObjectMapper JSON = new ObjectMapper();

    RunningService service;
    final AtomicLong runs = new AtomicLong();

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(c -> c, false));
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

    void run(Path file) throws Exception {
        JsonNode script;
        try (InputStream in = Files.newInputStream(file)) {
            script = JSON.readTree(in);
        }
        String run = file.getFileName().toString().replace(".json", "") + "-" + runs.incrementAndGet();
        Map<String, String> openids = new HashMap<>();
        Map<String, String> lastPush = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        long alertsBefore = alerts();
        int n = 0;
        for (JsonNode turn : script.get("turns")) {
            n++;
            String where = file.getFileName() + " turn " + n;
            if (turn.has("staff")) {
                staff(turn, openids.get(turn.get("case_of").asText()));
                service.shegong.outbox().runOnce();
                checkReceived(turn, openids.get(turn.get("case_of").asText()), seen, where);
                continue;
            }
            String alias = turn.get("from").asText();
            String openid = openids.computeIfAbsent(alias, a -> "o-" + run + "-" + a);
            String xml = turn.has("again") ? lastPush.get(alias) : push(turn, openid);
            lastPush.put(alias, xml);
            WeChatPush.Delivery d = service.platform.pushes(openid, xml);
            assertTrue(d.ok(), where + ": " + d.failure());
            assertEquals(1, d.attempts(), where + ": answered on WeChat's first try");
            String reply = d.replyText().orElse("");
            for (JsonNode want : iterable(turn, "reply")) {
                assertTrue(reply.contains(want.asText()), where + ": reply lacks «" + want.asText() + "»:\n" + reply);
            }
            for (JsonNode unwanted : iterable(turn, "not")) {
                assertFalse(reply.contains(unwanted.asText()), where + ": reply has «" + unwanted.asText() + "»:\n" + reply);
            }
            if (turn.path("no_reply").asBoolean()) {
                assertTrue(d.reply().isEmpty(), where + ": expected no passive reply, got " + reply);
            }
            service.clock.advance(cn.shegong.bot.outbound.Outbox.AFTER_REPLY); // what follows the reply is due now
            service.shegong.outbox().runOnce();
            checkReceived(turn, openid, seen, where);
        }
        checkCases(script.path("cases"), openids, file.getFileName().toString());
        if (script.has("alerts")) {
            assertEquals(script.get("alerts").asLong(), alerts() - alertsBefore, file.getFileName() + ": urgent alerts");
        }
    }

    private String push(JsonNode turn, String openid) {
        long now = service.clock.instant().getEpochSecond();
        long msgId = service.platform.nextMsgId();
        if (turn.has("follow")) {
            return Pushes.event(openid, now, "subscribe", "qrscene_" + turn.get("follow").asText());
        }
        if (turn.has("image")) {
            return Pushes.image(openid, now, msgId, "media-" + msgId);
        }
        if (turn.has("location")) {
            return Pushes.location(openid, now, msgId, 25.1, 99.2, turn.get("location").asText());
        }
        if (turn.has("voice")) {
            return Pushes.voice(openid, now, msgId, "media-" + msgId, turn.get("voice").asText());
        }
        String text = turn.get("say").asText();
        if (text.startsWith("LONG:")) {
            text = "我家里的情况说来话长，".repeat(Integer.parseInt(text.substring(5)) / 11);
        }
        return Pushes.text(openid, now, msgId, text);
    }

    private void staff(JsonNode turn, String openid) {
        Case c = service.shegong.cases().forResident(openid).get(0);
        var now = service.clock.instant();
        switch (turn.get("staff").asText()) {
            case "assign" -> {
                assertTrue(service.shegong.cases().changeStatus(c.id(), c.version(), Case.Status.ASSIGNED, "assigned", "", now));
                service.shegong.notifier().assigned(c, c.township().map(t -> t.name()).orElse(""));
            }
            case "visit" -> {
                assertTrue(service.shegong.cases().changeStatus(c.id(), c.version(), Case.Status.IN_PROGRESS, "visited", "", now));
                service.shegong.notifier().visited(c);
            }
            case "close" -> {
                assertTrue(service.shegong.cases().changeStatus(c.id(), c.version(), Case.Status.CLOSED, "closed", "", now));
                service.shegong.notifier().closed(c, turn.path("summary").asText(""));
            }
            default -> throw new IllegalArgumentException("unknown staff action " + turn.get("staff"));
        }
    }

    /** What the person received since the last check (customer-service texts and template values) contains each expected piece. */
    private void checkReceived(JsonNode turn, String openid, Map<String, Integer> seen, String where) {
        List<FakeWeChat.Received> all = service.fakeApi.received(openid);
        List<FakeWeChat.Received> fresh = all.subList(seen.getOrDefault(openid, 0), all.size());
        seen.put(openid, all.size());
        StringBuilder text = new StringBuilder();
        fresh.forEach(r -> text.append(r.payload()).append('\n'));
        for (JsonNode want : iterable(turn, "received")) {
            assertTrue(text.toString().contains(want.asText()), where + ": received lacks «" + want.asText() + "»:\n" + text);
        }
    }

    private void checkCases(JsonNode expected, Map<String, String> openids, String where) {
        expected.fields().forEachRemaining(entry -> {
            List<Case> actual = service.shegong.cases().forResident(openids.get(entry.getKey()));
            assertEquals(entry.getValue().size(), actual.size(), where + ": cases of " + entry.getKey());
            for (int i = 0; i < actual.size(); i++) {
                JsonNode want = entry.getValue().get(i);
                Case c = actual.get(i);
                String w = where + " case " + c.number();
                assertTrue(c.number().matches("BS\\d{8}-\\d{4}"), w);
                expect(want, "category", c.category().code(), w);
                expect(want, "urgent", Boolean.toString(c.urgent()), w);
                expect(want, "status", c.status().name(), w);
                expect(want, "township", c.township().map(t -> t.name()).orElse(""), w);
                expect(want, "phone", c.phone().orElse(""), w);
                expect(want, "name", c.name().orElse(""), w);
                expect(want, "rating", c.rating().map(String::valueOf).orElse(""), w);
                expect(want, "comment", c.ratingComment().orElse(""), w);
                var transcript = service.shegong.messages().forCase(c.id());
                assertTrue(transcript.stream().anyMatch(m -> m.direction() == cn.shegong.core.message.StoredMessage.Direction.IN
                        && c.description().startsWith(m.content())), w + ": the message that began it is in its transcript");
            }
        });
    }

    private static void expect(JsonNode want, String field, String actual, String where) {
        if (want.has(field)) {
            assertEquals(want.get(field).asText(), actual, where + " " + field);
        }
    }

    /** Urgent alerts the on-duty worker actually received in WeChat (not merely queued). */
    private long alerts() {
        return service.fakeApi.received(RunningService.DUTY).stream()
                .filter(r -> "SG_DEMO_URGENT_CASE_01".equals(r.payload().get("template_id"))).count();
    }

    private static Iterable<JsonNode> iterable(JsonNode turn, String field) {
        List<JsonNode> out = new ArrayList<>();
        turn.path(field).forEach(out::add);
        return out;
    }
}
