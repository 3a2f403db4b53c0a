package cn.shegong.bot.worker;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.Intake;
import cn.shegong.bot.worker.Command.Verb;
import cn.shegong.bot.worker.Mine.Found;
import cn.shegong.core.casework.Case;
import cn.shegong.core.staff.Worker;

/**
 * A bound worker's messages: commands about their cases and visit notes. A worker may still ask
 * for help as a resident (the as-resident word, then the request; the intake then carries on until it is done). Anything else
 * gets the list of commands.
 */
public final class WorkerDialogue {

    private final WorkerKit kit;
    private final Command.Words words = new Command.Words();
    private final Binding binding;
    private final Mine mine;
    private final CaseCommands commands;
    private final VisitCommands visits;
    private final Notes notes;
    private final Intake intake;

    public WorkerDialogue(WorkerKit kit, Intake intake) {
        this.kit = kit;
        this.binding = new Binding(kit);
        this.mine = new Mine(kit);
        this.commands = new CaseCommands(kit, mine);
        this.visits = new VisitCommands(kit);
        this.notes = new Notes(kit);
        this.intake = intake;
    }

    /** The bind word and a code, from anyone, bound or not. */
    public Optional<Step> bindCommand(String openid, String text) {
        return words.parse(text).filter(c -> c.verb() == Verb.BIND)
                .map(c -> binding.bind(openid, c.ref().orElse(c.rest())));
    }

    /** A scan of a binding QR code ({@code bind:CODE}). */
    public Optional<Step> scanned(String openid, String scene) {
        return scene.startsWith(Binding.SCENE) ? Optional.of(binding.bind(openid, scene.substring(Binding.SCENE.length()))) : Optional.empty();
    }

    /** The worker whose WeChat this is (active and bound), if it is one. */
    public Optional<Worker> worker(String openid) {
        return kit.staff().byOpenid(openid).filter(Worker::active);
    }

    public Step onText(Worker w, String openid, String text, Instant sentAt) {
        Optional<Command> parsed = words.parse(text);
        if (parsed.isEmpty()) {
            Optional<NoteSession> note = notes.session(openid);
            if (note.isPresent()) {
                return notes.text(openid, note.get(), text);
            }
            if (kit.states().inIntake(openid)) {
                return intake.onText(openid, text, sentAt); // their own request for help, still being made
            }
            return help(w);
        }
        Command c = parsed.get();
        return switch (c.verb()) {
            case AS_RESIDENT -> intake.onText(openid, c.ref().map(r -> r + " ").orElse("") + c.rest(), sentAt);
            case UNBIND -> binding.unbind(w);
            case TASKS -> commands.tasks(w, visits.tasks(w));
            case HELP, BIND -> help(w);
            case DONE -> notes.session(openid).map(s -> notes.done(w, openid, s)).orElseGet(() -> Step.answer(kit.say(BotText.WORKER_NOTE_EMPTY)));
            case DETAILS, ACCEPT, SEND_BACK, CONTACT, CLOSE, REPLY, NOTE -> onCase(w, openid, c);
            case ACK -> acknowledge(w, openid);
            case SIGN_IN -> signIn(w, c.ref());
        };
    }

    /** 签到 T4821: the worker attended a training (counted once, on its day). */
    private Step signIn(Worker w, Optional<String> code) {
        if (code.isEmpty()) {
            return Step.answer(kit.say(BotText.WORKER_SIGN_IN_HOWTO));
        }
        java.time.LocalDate today = kit.now().atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate();
        Optional<cn.shegong.core.staff.Trainings.Training> t = kit.trainings().byCode(code.get());
        Map<String, Object> values = t.map(x -> Map.<String, Object>of("title", x.title(), "date", x.date().toString()))
                .orElse(Map.of("code", code.get()));
        return switch (kit.trainings().signIn(code.get(), w.id(), today)) {
            case SIGNED_IN -> Step.answer(kit.say(BotText.WORKER_SIGNED_IN, values));
            case ALREADY -> Step.answer(kit.say(BotText.WORKER_SIGN_IN_ALREADY, values));
            case NOT_TODAY -> Step.answer(kit.say(BotText.WORKER_SIGN_IN_NOT_TODAY, values));
            case UNKNOWN -> Step.answer(kit.say(BotText.WORKER_SIGN_IN_UNKNOWN, values));
        };
    }

    /** 收到: the worker saw the newest urgent alert sent to them; it goes no further up the chain. */
    private Step acknowledge(Worker w, String openid) {
        return kit.urgentAlerts().waitingFor(openid).flatMap(a -> kit.cases().find(a.caseId())).map(c -> Step.answer(
                        kit.say(BotText.WORKER_ACKNOWLEDGED, Map.of("number", c.number(), "code", c.shortCode())))
                .with(Effect.write("alert.ack", () -> {
                    if (kit.urgentAlerts().ack(c.id(), w.name(), kit.now())) {
                        kit.cases().addEvent(c.id(), "alert_acknowledged", w.name(), kit.now());
                    }
                })))
                .orElseGet(() -> Step.answer(kit.say(BotText.WORKER_NOTHING_TO_ACKNOWLEDGE)));
    }

    /** A voice message: part of the note being written; else, if WeChat transcribed it, read as typed. */
    public Step onVoice(Worker w, String openid, String mediaId, Optional<String> recognition, Instant sentAt) {
        Optional<NoteSession> s = notes.session(openid);
        if (s.isPresent()) {
            return notes.media(openid, s.get(), "voice", mediaId, recognition);
        }
        return recognition.filter(r -> !r.isBlank()).map(r -> onText(w, openid, r, sentAt))
                .orElseGet(() -> Step.answer(kit.say(BotText.WORKER_MEDIA_HINT)));
    }

    /** A photo or voice message: part of the note being written, else a hint how to add it to one. */
    public Step onMedia(Worker w, String openid, String kind, String mediaId, Optional<String> recognition) {
        return notes.session(openid).map(s -> notes.media(openid, s, kind, mediaId, recognition))
                .orElseGet(() -> Step.answer(kit.say(BotText.WORKER_MEDIA_HINT)));
    }

    public Step onLocation(Worker w, String openid, String label) {
        return notes.session(openid).map(s -> notes.place(openid, s, label))
                .orElseGet(() -> Step.answer(kit.say(BotText.WORKER_MEDIA_HINT)));
    }

    private Step onCase(Worker w, String openid, Command c) {
        if (c.ref().isEmpty()) {
            return Step.answer(kit.say(BotText.WORKER_NEED_CASE));
        }
        if (VisitCommands.CODE.matcher(c.ref().get()).matches()) {
            return onVisit(w, openid, c);
        }
        Found found = mine.find(w, c.ref().get());
        return switch (found) {
            case Found.None n -> Step.answer(kit.say(BotText.WORKER_NOT_FOUND, Map.of("ref", n.ref())));
            case Found.Several s -> Step.answer(kit.say(BotText.WORKER_SEVERAL, Map.of("ref", s.ref())));
            case Found.NotYours n -> notYours(n.c());
            case Found.One one -> act(w, openid, c, one.c());
        };
    }

    private Step act(Worker w, String openid, Command c, Case k) {
        if (c.verb() == Verb.ACCEPT) {
            if (!mine.mayTake(w, k)) {
                return notYours(k);
            }
            return k.status().isOpen() ? commands.accept(w, k) : Step.answer(kit.say(BotText.WORKER_CASE_ENDED, commands.values(k)));
        }
        if (!mine.mayWorkOn(w, k)) {
            return notYours(k);
        }
        if (!k.status().isOpen() && Command.CHANGES_CASE.contains(c.verb())) {
            return Step.answer(kit.say(BotText.WORKER_CASE_ENDED, commands.values(k)));
        }
        return switch (c.verb()) {
            case DETAILS -> commands.details(w, k);
            case SEND_BACK -> commands.sendBack(w, k, c.rest());
            case CONTACT -> commands.contact(w, k);
            case CLOSE -> commands.close(w, k, c.rest());
            case REPLY -> commands.relay(w, k, c.rest());
            case NOTE -> c.rest().isBlank() ? notes.start(openid, k) : notes.oneMessage(w, k, c.rest());
            default -> help(w);
        };
    }

    /** A visit code: its household's details, or the visit recorded (in one message or several). */
    private Step onVisit(Worker w, String openid, Command c) {
        String code = c.ref().get();
        Optional<cn.shegong.core.households.Visit> v = visits.find(code).filter(x -> visits.mayRecord(w, x));
        if (v.isEmpty()) {
            return Step.answer(kit.say(BotText.WORKER_NOT_FOUND, Map.of("ref", code)));
        }
        return switch (c.verb()) {
            case DETAILS -> visits.details(w, v.get());
            case NOTE -> c.rest().isBlank() ? notes.startVisit(openid, v.get()) : visits.record(w, v.get(), c.rest());
            default -> Step.answer(kit.say(BotText.WORKER_VISIT_HOWTO, Map.of("code", code)));
        };
    }

    private Step notYours(Case k) {
        return Step.answer(kit.say(BotText.WORKER_NOT_YOURS, Map.of("number", k.number())));
    }

    private Step help(Worker w) {
        return Step.answer(kit.say(BotText.WORKER_HELP, Map.of("name", w.name(), "head", w.role() == Worker.Role.HEAD)));
    }
}
