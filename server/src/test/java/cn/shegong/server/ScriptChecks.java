package cn.shegong.server;

import java.util.List;
import java.util.Map;

import cn.shegong.core.casework.Case;
import cn.shegong.core.message.StoredMessage;
import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a conversation script expects to be stored at its end: per person, their cases (newest
 * first) with category, urgency, status, place, contact, rating, assignee, the notes written on
 * them and the visit media with their download status; every case's transcript holds the
 * message that began it.
 */
final class ScriptChecks {

    private final RunningService service;
    private final Map<String, String> openids;
    private final Map<String, String> workers;

    ScriptChecks(RunningService service, Map<String, String> openids, Map<String, String> workers) {
        this.service = service;
        this.openids = openids;
        this.workers = workers;
    }

    void cases(JsonNode expected, String where) {
        expected.fields().forEachRemaining(entry -> {
            List<Case> actual = service.shegong.cases().forResident(openids.get(entry.getKey()));
            assertEquals(entry.getValue().size(), actual.size(), where + ": cases of " + entry.getKey());
            for (int i = 0; i < actual.size(); i++) {
                check(entry.getValue().get(i), actual.get(i), where + " case " + actual.get(i).number());
            }
        });
    }

    private void check(JsonNode want, Case c, String w) {
        assertTrue(c.number().matches("BS\\d{8}-\\d{4}"), w);
        expect(want, "category", c.category().code(), w);
        expect(want, "urgent", Boolean.toString(c.urgent()), w);
        expect(want, "status", c.status().name(), w);
        expect(want, "township", c.township().map(t -> t.name()).orElse(""), w);
        expect(want, "phone", c.phone().orElse(""), w);
        expect(want, "name", c.name().orElse(""), w);
        expect(want, "rating", c.rating().map(String::valueOf).orElse(""), w);
        expect(want, "comment", c.ratingComment().orElse(""), w);
        if (want.has("assignee")) {
            assertEquals(workers.get(want.get("assignee").asText()), c.assigneeId().orElse(null), w + " assignee");
        }
        if (want.has("contacted")) {
            assertEquals(want.get("contacted").asBoolean(), c.firstContactAt().isPresent(), w + " first contact recorded");
        }
        String notes = String.join("\n", service.shegong.cases().notes(c.id()).stream().map(n -> n.author() + ": " + n.text()).toList());
        want.path("notes").forEach(n -> assertTrue(notes.contains(n.asText()), w + ": notes lack «" + n.asText() + "»:\n" + notes));
        if (want.has("media")) {
            List<String> media = service.shegong.media().items(c.id()).stream().map(m -> m.kind() + ":" + m.status()).toList();
            List<String> wanted = new java.util.ArrayList<>();
            want.get("media").forEach(m -> wanted.add(m.asText()));
            assertEquals(wanted, media, w + " media");
            service.shegong.media().items(c.id()).stream().map(cn.shegong.core.media.MediaStore.Item::fileId).flatMap(java.util.Optional::stream)
                    .forEach(f -> assertTrue(service.shegong.media().get(f).orElseThrow().bytes().length > 0, w + ": a stored file opens"));
        }
        var transcript = service.shegong.messages().forCase(c.id());
        String began = c.description().lines().findFirst().orElse("");
        assertTrue(transcript.stream().anyMatch(m -> m.direction() == StoredMessage.Direction.IN
                        && (c.description().startsWith(m.content()) || m.content().endsWith(began))),
                w + ": the message that began it is in its transcript");
        want.path("transcript").forEach(t -> assertTrue(transcript.stream().anyMatch(m -> m.content().contains(t.asText())),
                w + ": transcript lacks «" + t.asText() + "»"));
    }

    private static void expect(JsonNode want, String field, String actual, String where) {
        if (want.has(field)) {
            assertEquals(want.get(field).asText(), actual, where + " " + field);
        }
    }
}
