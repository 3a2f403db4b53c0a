package cn.shegong.bot.intake;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.intake.Vocabulary.Meaning;
import cn.shegong.bot.triage.Triage;
import cn.shegong.bot.triage.TriageResult;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.message.MessageStore;
import cn.shegong.core.resident.Resident;
import cn.shegong.core.resident.ResidentStore;
import cn.shegong.core.text.Texts;

/**
 * The resident's side of a request for help: consent first, triage, ask only what is missing
 * (township, phone, name; several may come in one message), read back, open a numbered case.
 * Urgent messages get emergency numbers and an open case at once, and the on-duty staff are told.
 * At any time: progress, cancel (confirmed), a person; after closure, a rating and a comment.
 */
public final class Intake {

    private final Triage triage;
    private final Vocabulary words;
    private final Texts texts;
    private final Areas areas;
    private final CaseStore cases;
    private final ResidentStore residents;
    private final MessageStore messages;
    private final ConversationStore states;
    private final Alerts alerts;
    private final Clock clock;

    public Intake(Triage triage, Vocabulary words, Texts texts, Areas areas, CaseStore cases, ResidentStore residents,
                  MessageStore messages, Alerts alerts, ConversationStore states, Clock clock) {
        this.triage = triage;
        this.words = words;
        this.texts = texts;
        this.areas = areas;
        this.cases = cases;
        this.residents = residents;
        this.messages = messages;
        this.states = states;
        this.alerts = alerts;
        this.clock = clock;
    }

    /**
     * A text (or transcribed voice) from {@code openid}, sent at {@code sentAt} (WeChat's CreateTime):
     * an intake that starts with it starts then, so this message is linked to the case too.
     */
    public Optional<Reply> onText(String openid, String text, Instant sentAt) {
        Instant started = sentAt.isBefore(now()) ? sentAt : now();
        Optional<IntakeState> saved = states.get(openid);
        if (saved.isPresent()) {
            Optional<Reply> handled = continueStage(openid, saved.get(), text, started);
            if (handled.isPresent()) {
                return handled;
            }
        }
        if (words.is(text, Meaning.PROGRESS)) {
            return Optional.of(progress(openid));
        }
        if (words.is(text, Meaning.CANCEL)) {
            return Optional.of(askCancel(openid, saved));
        }
        if (words.is(text, Meaning.HUMAN)) {
            return Optional.of(person(openid, text, saved, started));
        }
        if (saved.isPresent() && saved.get().inIntake()) {
            return Optional.of(intakeStep(openid, saved.get(), text));
        }
        if (words.is(text, Meaning.GREETING)) {
            return Optional.of(say(BotText.HELLO)); // a greeting deserves a greeting back
        }
        if (words.is(text, Meaning.THANKS)) {
            return Optional.of(say(BotText.YOU_ARE_WELCOME));
        }
        if (words.is(text, Meaning.AGREE) && !residents.consent(openid).orElse(false)) {
            residents.recordConsent(openid, true, now()); // agreed to the notice in the welcome or an earlier chat
            return Optional.of(say(BotText.MENU_HELP));
        }
        return Optional.of(newMessage(openid, text, started));
    }

    /** A shared WeChat location: its label usually names the township. */
    public Optional<Reply> onLocation(String openid, String label) {
        Optional<IntakeState> saved = states.get(openid).filter(s -> s.stage == Stage.COLLECT || s.stage == Stage.SUMMARY);
        if (saved.isPresent()) {
            return Optional.of(intakeStep(openid, saved.get(), label));
        }
        return attachToOpenCase(openid, "location");
    }

    /** A photo, a video or an untranscribed voice message: added to the open case, if there is one. */
    public Optional<Reply> onMedia(String openid, String kind) {
        if (states.get(openid).map(IntakeState::inIntake).orElse(false)) {
            return Optional.empty(); // stored; linked to the case when it opens
        }
        return attachToOpenCase(openid, kind);
    }

    // ---- stages that expect a specific answer ---------------------------------------------------

    private Optional<Reply> continueStage(String openid, IntakeState s, String text, Instant started) {
        return switch (s.stage) {
            case CONFIRM_CANCEL -> Optional.of(confirmCancel(openid, s, text, started));
            case RATING -> rating(openid, s, text);
            case COMMENT -> Optional.of(comment(openid, s, text));
            case CONSENT -> consent(openid, s, text, started);
            default -> Optional.empty();
        };
    }

    private Optional<Reply> consent(String openid, IntakeState s, String text, Instant started) {
        if (words.is(text, Meaning.AGREE)) {
            residents.recordConsent(openid, true, now());
            if (s.caseId != null) {
                s.stage = Stage.COLLECT;
                return Optional.of(askOrFinish(openid, s));
            }
            states.clear(openid);
            return Optional.of(s.description == null ? say(BotText.MENU_HELP)
                    : newMessage(openid, s.description, Instant.ofEpochMilli(s.startedAtMillis)));
        }
        if (words.is(text, Meaning.REFUSE)) {
            residents.recordConsent(openid, false, now());
            states.clear(openid);
            return Optional.of(say(BotText.CONSENT_REFUSED));
        }
        TriageResult t = triage.classify(text);
        if (t.urgent()) {
            return Optional.of(urgent(openid, text, t, false, started));
        }
        return Optional.of(say(BotText.CONSENT_REMINDER));
    }

    private Optional<Reply> rating(String openid, IntakeState s, String text) {
        String digits = Vocabulary.normalize(text);
        if (digits.length() == 1 && digits.charAt(0) >= '1' && digits.charAt(0) <= '5') {
            cases.rate(s.caseId, digits.charAt(0) - '0', now());
            s.stage = Stage.COMMENT;
            states.put(openid, s);
            return Optional.of(Reply.about(s.caseId, texts.render(BotText.RATING_THANKS)));
        }
        if (Vocabulary.normalize(text).length() > 6) {
            states.clear(openid); // they moved on to something else: answer that instead
            return Optional.empty();
        }
        return Optional.of(say(BotText.RATING_INVALID));
    }

    private Reply comment(String openid, IntakeState s, String text) {
        if (!words.is(text, Meaning.NO_COMMENT)) {
            cases.comment(s.caseId, text, now());
        }
        states.clear(openid);
        return Reply.about(s.caseId, texts.render(BotText.COMMENT_THANKS));
    }

    // ---- a message when no intake is in progress ---------------------------------------------------

    private Reply newMessage(String openid, String text, Instant started) {
        Details details = Details.from(text, areas, words);
        TriageResult t = triage.classify(details.withoutContacts(text));
        boolean consented = residents.consent(openid).orElse(false);
        if (t.urgent()) {
            return urgent(openid, text, t, consented, started);
        }
        if (t.category() == Category.POLICY) {
            String answer = words.faqAnswer(text).flatMap(BotText::byKey).map(texts::render).orElse("");
            return Reply.of((answer.isEmpty() ? "" : answer + "\n\n") + texts.render(BotText.FAQ_OFFER));
        }
        Optional<Case> open = cases.latestOpen(openid);
        if (open.isPresent()) {
            return attach(open.get(), "text");
        }
        if (t.category() == Category.OTHER && t.confidence() >= Triage.CONFIDENT) {
            return say(BotText.OTHER_CATEGORY);
        }
        IntakeState s = new IntakeState();
        s.description = text;
        s.startedAtMillis = started.toEpochMilli();
        if (!consented) {
            s.stage = Stage.CONSENT;
            states.put(openid, s);
            return say(BotText.PRIVACY_NOTICE);
        }
        s.townshipCode = sceneTownship(openid).map(Areas.Township::code).orElse(null);
        absorb(s, details);
        if (t.confidence() < Triage.CONFIDENT || !t.category().isHelpRequest()) {
            return choose(openid, s, t.ranked());
        }
        s.category = t.category().code();
        s.stage = Stage.COLLECT;
        states.put(openid, s);
        List<String> missing = missing(s);
        if (missing.isEmpty()) {
            return summary(openid, s);
        }
        return Reply.of(texts.render(BotText.CATEGORY_CONFIRMED, Map.of("label", words.label(t.category()), "ask", String.join("、", missing))));
    }

    /** Emergency numbers first; the case opens now with what we have; the on-duty staff are told. */
    private Reply urgent(String openid, String text, TriageResult t, boolean consented, Instant started) {
        Optional<Case> open = cases.latestOpen(openid);
        if (open.isPresent()) { // one person, one case: the open one becomes urgent and the duty staff are told
            Case c = open.get();
            cases.escalate(c.id(), now());
            alerts.urgent(c, words.label(c.category()));
            return Reply.about(c.id(), texts.render(BotText.URGENT, Map.of("number", c.number(),
                    "mental", t.category() == Category.MENTAL, "askMore", false, "ask", "")));
        }
        Details d = Details.from(text, areas, words);
        Optional<Areas.Township> township = d.township().or(() -> sceneTownship(openid));
        Case c = cases.create(new CaseStore.NewCase(openid, t.category().isHelpRequest() ? t.category() : Category.LINSHI, true,
                township, consented ? d.name() : Optional.empty(), consented ? d.phone() : Optional.empty(), text, false), now());
        messages.linkToCase(openid, started, c.id());
        alerts.urgent(c, words.label(c.category()));
        IntakeState s = new IntakeState();
        s.caseId = c.id();
        s.category = c.category().code();
        s.urgent = true;
        s.description = text;
        s.townshipCode = township.map(Areas.Township::code).orElse(null);
        s.phone = c.phone().orElse(null);
        s.name = c.name().orElse(null);
        s.startedAtMillis = started.toEpochMilli();
        s.stage = consented ? Stage.COLLECT : Stage.CONSENT;
        states.put(openid, s);
        List<String> missing = consented ? missing(s) : List.of();
        String first = texts.render(BotText.URGENT, Map.of("number", c.number(), "mental", c.category() == Category.MENTAL,
                "askMore", !missing.isEmpty(), "ask", String.join("、", missing)));
        return Reply.about(c.id(), consented ? first : first + "\n\n" + texts.render(BotText.PRIVACY_NOTICE));
    }

    // ---- the intake: choose, collect, summary --------------------------------------------------

    private Reply intakeStep(String openid, IntakeState s, String text) {
        if (s.stage == Stage.CHOOSE) {
            String n = Vocabulary.normalize(text);
            int pick = n.length() == 1 && Character.isDigit(n.charAt(0)) ? n.charAt(0) - '0' : 0;
            if (pick < 1 || pick > s.choices.size()) {
                return choose(openid, s, s.choices.stream().map(c -> Category.fromCode(c).orElseThrow()).toList());
            }
            s.category = s.choices.get(pick - 1);
            s.stage = Stage.COLLECT;
            List<String> missing = missing(s);
            if (missing.isEmpty()) {
                return askOrFinish(openid, s);
            }
            states.put(openid, s);
            return Reply.of(texts.render(BotText.CATEGORY_CONFIRMED, Map.of(
                    "label", words.label(Category.fromCode(s.category).orElseThrow()), "ask", String.join("、", missing))));
        }
        if (s.stage == Stage.SUMMARY && words.is(text, Meaning.CONFIRM)) {
            return submit(openid, s);
        }
        if (s.stage == Stage.SUMMARY && words.is(text, Meaning.EDIT)) {
            s.stage = Stage.COLLECT;
            states.put(openid, s);
            return say(BotText.EDIT_PROMPT);
        }
        if (words.is(text, Meaning.WRONG) && s.caseId == null) {
            return choose(openid, s, triage.classify(s.description).ranked());
        }
        Details d = Details.from(text, areas, words);
        if (d.badPhone().isPresent()) {
            absorb(s, d); // keep the township or name sent with it
            states.put(openid, s);
            return Reply.of(texts.render(BotText.BAD_PHONE, Map.of("phone", d.badPhone().get())));
        }
        if (d.isEmpty() && s.stage == Stage.COLLECT) {
            s.description = s.description + "\n" + text; // more about what happened
        }
        absorb(s, d);
        s.stage = Stage.COLLECT;
        return askOrFinish(openid, s);
    }

    private Reply askOrFinish(String openid, IntakeState s) {
        List<String> missing = missing(s);
        if (!missing.isEmpty()) {
            states.put(openid, s);
            return Reply.of(texts.render(BotText.ASK_MISSING, Map.of("ask", String.join("、", missing))));
        }
        if (s.caseId != null) {
            cases.complete(s.caseId, township(s), Optional.ofNullable(s.name), Optional.ofNullable(s.phone), s.description, now());
            states.clear(openid);
            Case c = cases.find(s.caseId).orElseThrow();
            return Reply.about(c.id(), texts.render(BotText.CASE_COMPLETED, Map.of("number", c.number())));
        }
        return summary(openid, s);
    }

    private Reply summary(String openid, IntakeState s) {
        s.stage = Stage.SUMMARY;
        states.put(openid, s);
        Areas.Township t = township(s).orElseThrow();
        Map<String, Object> values = new HashMap<>();
        values.put("label", words.label(Category.fromCode(s.category).orElseThrow()));
        values.put("place", t.county() + t.name());
        values.put("description", s.description);
        values.put("phone", Phones.mask(s.phone));
        if (s.name != null) {
            values.put("name", s.name);
        }
        return Reply.of(texts.render(BotText.SUMMARY, values));
    }

    private Reply submit(String openid, IntakeState s) {
        Case c = cases.create(new CaseStore.NewCase(openid, Category.fromCode(s.category).orElseThrow(), false, township(s),
                Optional.ofNullable(s.name), Optional.ofNullable(s.phone), s.description, false), now());
        messages.linkToCase(openid, Instant.ofEpochMilli(s.startedAtMillis), c.id());
        states.clear(openid);
        return Reply.about(c.id(), texts.render(BotText.CASE_CREATED, Map.of("number", c.number(),
                "station", c.township().map(Areas.Township::name).orElse(""))));
    }

    private Reply choose(String openid, IntakeState s, List<Category> ranked) {
        List<Category> offered = ranked.stream().filter(Category::isHelpRequest).limit(4).toList();
        s.choices = new ArrayList<>(offered.stream().map(Category::code).toList());
        s.stage = Stage.CHOOSE;
        states.put(openid, s);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            items.add(Map.of("n", i + 1, "label", words.label(offered.get(i))));
        }
        return Reply.of(texts.render(BotText.CHOOSE_CATEGORY, Map.of("choices", items)));
    }

    private List<String> missing(IntakeState s) {
        List<String> ask = new ArrayList<>();
        if (s.townshipCode == null) {
            ask.add(texts.render(BotText.ASK_TOWNSHIP));
        }
        if (s.phone == null) {
            ask.add(texts.render(BotText.ASK_PHONE));
        }
        if (s.name == null && s.caseId == null) {
            ask.add(texts.render(BotText.ASK_NAME));
        }
        return ask;
    }

    private static void absorb(IntakeState s, Details d) {
        d.township().ifPresent(t -> s.townshipCode = t.code());
        d.phone().ifPresent(p -> s.phone = p);
        d.name().ifPresent(n -> s.name = n);
    }

    private Optional<Areas.Township> township(IntakeState s) {
        return Optional.ofNullable(s.townshipCode).flatMap(areas::byCode);
    }

    /** A station's QR code the person followed through: {@code station:<township code>}. */
    private Optional<Areas.Township> sceneTownship(String openid) {
        return residents.find(openid).flatMap(Resident::scene).filter(sc -> sc.startsWith("station:"))
                .flatMap(sc -> areas.byCode(sc.substring("station:".length())));
    }

    // ---- at any time: progress, cancel, a person, attachments -------------------------------------

    private Reply progress(String openid) {
        List<Case> mine = cases.forResident(openid, 5);
        if (mine.isEmpty()) {
            return say(BotText.NO_CASES);
        }
        List<Map<String, Object>> rows = mine.stream().map(c -> Map.<String, Object>of("number", c.number(),
                "label", words.label(c.category()), "status", words.label(c.status()))).toList();
        return Reply.of(texts.render(BotText.STATUS_LIST, Map.of("cases", rows)));
    }

    private Reply askCancel(String openid, Optional<IntakeState> saved) {
        if (saved.isPresent() && saved.get().inIntake() && saved.get().caseId == null) {
            IntakeState s = saved.get();
            s.resumeStage = s.stage;
            s.stage = Stage.CONFIRM_CANCEL;
            states.put(openid, s);
            return say(BotText.CANCEL_CONFIRM_INTAKE);
        }
        Optional<Case> open = cases.latestOpen(openid);
        if (open.isEmpty()) {
            return say(BotText.NOTHING_TO_CANCEL);
        }
        IntakeState s = saved.orElseGet(IntakeState::new);
        s.resumeStage = saved.map(x -> x.stage).orElse(null);
        s.stage = Stage.CONFIRM_CANCEL;
        s.caseId = open.get().id();
        states.put(openid, s);
        return Reply.about(open.get().id(), texts.render(BotText.CANCEL_CONFIRM_CASE, Map.of("number", open.get().number())));
    }

    private Reply confirmCancel(String openid, IntakeState s, String text, Instant started) {
        if (!words.is(text, Meaning.CONFIRM)) {
            s.stage = s.resumeStage;
            if (s.stage == null) {
                states.clear(openid);
            } else {
                states.put(openid, s);
            }
            return onText(openid, text, started).orElseThrow();
        }
        states.clear(openid);
        if (s.caseId == null) {
            return say(BotText.CANCELLED_INTAKE);
        }
        Case c = cases.find(s.caseId).orElseThrow();
        cases.changeStatus(c.id(), c.version(), Case.Status.CANCELLED, "cancelled_by_resident", "", now());
        return Reply.about(c.id(), texts.render(BotText.CANCELLED_CASE, Map.of("number", c.number())));
    }

    private Reply person(String openid, String text, Optional<IntakeState> saved, Instant started) {
        Optional<Case> open = cases.latestOpen(openid);
        Case c;
        if (open.isPresent()) {
            c = open.get();
            cases.requestContact(c.id(), now());
        } else {
            Optional<IntakeState> s = saved.filter(IntakeState::inIntake);
            Category category = s.flatMap(x -> Optional.ofNullable(x.category)).flatMap(Category::fromCode).orElse(Category.OTHER);
            c = cases.create(new CaseStore.NewCase(openid, category, false, s.flatMap(this::township),
                    s.flatMap(x -> Optional.ofNullable(x.name)), s.flatMap(x -> Optional.ofNullable(x.phone)),
                    s.map(x -> x.description).orElse(text), true), now());
            messages.linkToCase(openid, s.map(x -> Instant.ofEpochMilli(x.startedAtMillis)).orElse(started), c.id());
            states.clear(openid);
        }
        boolean askPhone = c.phone().isEmpty() && residents.consent(openid).orElse(false);
        if (askPhone) {
            IntakeState s = new IntakeState();
            s.caseId = c.id();
            s.category = c.category().code();
            s.description = c.description();
            s.townshipCode = c.township().map(Areas.Township::code).orElse(null);
            s.stage = Stage.COLLECT;
            s.startedAtMillis = started.toEpochMilli();
            states.put(openid, s);
        }
        return Reply.about(c.id(), texts.render(BotText.HUMAN_REQUESTED, Map.of("number", c.number(), "askPhone", askPhone)));
    }

    private Optional<Reply> attachToOpenCase(String openid, String kind) {
        return cases.latestOpen(openid).map(c -> attach(c, kind));
    }

    private Reply attach(Case c, String kind) {
        cases.addEvent(c.id(), "resident_" + kind, "", now());
        return Reply.about(c.id(), texts.render(BotText.ATTACHED, Map.of("number", c.number())));
    }

    private Reply say(BotText key) {
        return Reply.of(texts.render(key));
    }

    private Instant now() {
        return clock.instant();
    }

}
