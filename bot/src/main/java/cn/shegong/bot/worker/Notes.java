package cn.shegong.bot.worker;

import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.ConversationStore.Space;
import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.Worker;

/**
 * Visit notes by reply: the note command with a case and the note in one message, or the command
 * and case, then text, voice, photos and a location in as many messages as it takes, then the done
 * word (templates/worker-words.yaml). The note is kept with the
 * case (encrypted, like every note); photos and voice are downloaded from WeChat for the console.
 */
final class Notes {

    private final WorkerKit kit;

    Notes(WorkerKit kit) {
        this.kit = kit;
    }

    Optional<NoteSession> session(String openid) {
        return kit.states().get(Space.WORKER, openid, NoteSession.class);
    }

    Step oneMessage(Worker w, Case c, String text) {
        return Step.answer(kit.say(BotText.WORKER_NOTE_SAVED, Map.of("number", c.number())))
                .with(Effect.write("case.note", () -> kit.cases().addNote(c.id(), w.name(), text, kit.now())),
                        Effect.write("case.event", () -> kit.cases().addEvent(c.id(), "visit_note", w.name(), kit.now())),
                        Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), "worker_note", c.number(), "wechat")));
    }

    /** A home visit's note across several messages; the done word records the visit. */
    Step startVisit(String openid, cn.shegong.core.households.Visit v) {
        NoteSession s = new NoteSession();
        s.visitCode = v.code();
        return Step.answer(kit.say(BotText.WORKER_NOTE_STARTED, Map.of("number", v.code()))).with(save(openid, s));
    }

    Step start(String openid, Case c) {
        Optional<NoteSession> open = session(openid).filter(s -> !c.id().equals(s.caseId) && s.count() > 0);
        if (open.isPresent()) {
            String number = open.get().visitCode != null ? open.get().visitCode
                    : kit.cases().find(open.get().caseId).map(Case::number).orElse("");
            return Step.answer(kit.say(BotText.WORKER_NOTE_OPEN, Map.of("number", number)));
        }
        NoteSession s = new NoteSession();
        s.caseId = c.id();
        return Step.answer(kit.say(BotText.WORKER_NOTE_STARTED, Map.of("number", c.number()))).with(save(openid, s));
    }

    Step text(String openid, NoteSession s, String text) {
        s.texts.add(text);
        return part(openid, s);
    }

    Step media(String openid, NoteSession s, String kind, String mediaId, Optional<String> recognition) {
        NoteSession.Part p = new NoteSession.Part();
        p.kind = kind;
        p.mediaId = mediaId;
        p.recognition = recognition.orElse(null);
        s.media.add(p);
        return part(openid, s);
    }

    Step place(String openid, NoteSession s, String label) {
        s.place = label;
        return part(openid, s);
    }

    Step done(Worker w, String openid, NoteSession s) {
        if (s.visitCode != null) {
            return doneVisit(w, openid, s);
        }
        Optional<Case> c = kit.cases().find(s.caseId);
        if (c.isEmpty() || s.count() == 0) {
            return Step.answer(kit.say(BotText.WORKER_NOTE_EMPTY)).with(Effect.write("state.clear", () -> kit.states().clear(Space.WORKER, openid)));
        }
        String text = String.join("\n", s.texts) + (s.place == null ? "" : "\n" + kit.texts().render(BotText.WORKER_NOTE_PLACE, Map.of("place", s.place)));
        Effect media = Effect.write("case.media", () -> s.media.forEach(p -> {
            kit.media().add(s.caseId, p.kind, p.mediaId, Optional.ofNullable(p.recognition), w.name(), kit.now());
            kit.cases().addEvent(s.caseId, "media_" + p.kind, w.name(), kit.now());
        }));
        return Step.answer(kit.say(BotText.WORKER_NOTE_DONE, Map.of("number", c.get().number(), "texts", s.texts.size(),
                        "photos", s.media.stream().filter(p -> p.kind.equals("image")).count(),
                        "voices", s.media.stream().filter(p -> p.kind.equals("voice")).count(), "place", s.place != null)))
                .with(Effect.write("case.note", () -> kit.cases().addNote(s.caseId, w.name(), text.strip(), kit.now())), media,
                        Effect.write("case.event", () -> kit.cases().addEvent(s.caseId, "visit_note", w.name(), kit.now())),
                        Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), "worker_note", c.get().number(), "wechat")),
                        Effect.write("state.clear", () -> kit.states().clear(Space.WORKER, openid)),
                        Effect.send("media.fetch", kit.fetcher()::wake));
    }

    /** The visit is recorded with the note; photos and voice are kept under the visit's code. */
    private Step doneVisit(Worker w, String openid, NoteSession s) {
        Optional<cn.shegong.core.households.Visit> v = kit.visits().find(s.visitCode);
        Effect clear = Effect.write("state.clear", () -> kit.states().clear(Space.WORKER, openid));
        if (v.isEmpty() || s.count() == 0) {
            return Step.answer(kit.say(BotText.WORKER_NOTE_EMPTY)).with(clear);
        }
        String text = String.join("\n", s.texts) + (s.place == null ? "" : "\n" + kit.texts().render(BotText.WORKER_NOTE_PLACE, Map.of("place", s.place)));
        Effect media = Effect.write("visit.media", () -> s.media.forEach(p ->
                kit.media().add("visit:" + s.visitCode, p.kind, p.mediaId, Optional.ofNullable(p.recognition), w.name(), kit.now())));
        Step recorded = new VisitCommands(kit).record(w, v.get(), text.strip());
        return recorded.with(media, clear, Effect.send("media.fetch", kit.fetcher()::wake));
    }

    private Step part(String openid, NoteSession s) {
        return Step.answer(kit.say(BotText.WORKER_NOTE_PART, Map.of("count", s.count()))).with(save(openid, s));
    }

    private Effect save(String openid, NoteSession s) {
        return Effect.write("state.save", () -> kit.states().put(Space.WORKER, openid, s));
    }
}
