package cn.shegong.bot.intake;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.media.MediaStore;

/**
 * What a person can do about requests already made, at any time: ask how they stand, ask for a
 * person, add a message, photo or voice to the open case (which its worker receives).
 */
final class Aftercare {

    private final IntakeKit kit;

    Aftercare(IntakeKit kit) {
        this.kit = kit;
    }

    Step progress(String openid) {
        List<Case> mine = kit.cases().forResident(openid, 5);
        if (mine.isEmpty()) {
            return Step.answer(kit.say(BotText.NO_CASES));
        }
        List<Map<String, Object>> rows = mine.stream().map(c -> Map.<String, Object>of("number", c.number(),
                "label", kit.words().label(c.category()), "status", kit.words().label(c.status()))).toList();
        return Step.answer(kit.say(BotText.STATUS_LIST, Map.of("cases", rows)));
    }

    /** A request for a person: the open case is flagged for a call back, or a case opens with what the intake has so far. */
    Step person(String openid, String text, Optional<IntakeState> saved, Instant started) {
        Optional<Case> open = kit.cases().latestOpen(openid);
        boolean consented = kit.consented(openid);
        if (open.isPresent()) {
            Case c = open.get();
            boolean askPhone = c.phone().isEmpty() && consented;
            Step step = Step.answer(requested(c.id(), c.number(), askPhone))
                    .with(Effect.write("case.request_contact", () -> kit.cases().requestContact(c.id(), kit.now())));
            return askPhone ? step.with(kit.save(openid, callBack(c.id(), c.category(), c.description(), c.township(), started))) : step;
        }
        Optional<IntakeState> s = saved.filter(IntakeState::inIntake);
        Category category = s.flatMap(x -> Optional.ofNullable(x.category)).flatMap(Category::fromCode).orElse(Category.OTHER);
        Optional<String> phone = s.flatMap(x -> Optional.ofNullable(x.phone));
        String description = s.map(x -> x.description).orElse(text);
        Optional<Areas.Township> township = s.flatMap(kit::township);
        String id = CaseStore.newId();
        CaseStore.NewCase request = new CaseStore.NewCase(openid, category, false, township, s.flatMap(x -> Optional.ofNullable(x.name)),
                phone, description, true);
        Instant since = s.map(x -> Instant.ofEpochMilli(x.startedAtMillis)).orElse(started);
        boolean askPhone = phone.isEmpty() && consented;
        IntakeKit.Opening opening = kit.openCase(id, request, since);
        return Step.after(() -> requested(id, opening.opened().get().number(), askPhone), opening.effect(),
                askPhone ? kit.save(openid, callBack(id, category, description, township, started)) : kit.clear(openid));
    }

    /** Something sent while a case is open: kept with the case and passed to its worker. */
    Step attach(Case c, String kind, Optional<String> text) {
        return attach(c, kind, text, false);
    }

    /** The same, flagged for the worker as possibly urgent. */
    Step attach(Case c, String kind, Optional<String> text, boolean urgent) {
        return Step.answer(Reply.about(c.id(), kit.texts().render(BotText.ATTACHED, Map.of("number", c.number()))))
                .with(Effect.write("case.event", () -> kit.cases().addEvent(c.id(), "resident_" + kind, "", kit.now())),
                        Effect.write("monitoring.check", () -> text.ifPresent(t -> kit.monitoring().check(Monitoring.Subject.request(c.id(),
                                c.number()), c.township().map(Areas.Township::code).orElse(""), "message", t, kit.now()))),
                        Effect.send("relay.worker", () -> kit.relay().fromResident(c, kind, text, urgent)));
    }

    /** A photo, voice or video is also downloaded from WeChat, so the worker and the console can see it. */
    Optional<Step> attachToOpenCase(String openid, String kind, Optional<String> mediaId) {
        return kit.cases().latestOpen(openid).map(c -> attach(c, kind, Optional.empty()).with(mediaId.stream()
                .map(m -> Effect.write("media.add", () -> kit.media().add(c.id(), kind, m, Optional.empty(), MediaStore.RESIDENT, kit.now())))
                .toArray(Effect[]::new)));
    }

    private Reply requested(String caseId, String number, boolean askPhone) {
        return Reply.about(caseId, kit.texts().render(BotText.HUMAN_REQUESTED, Map.of("number", number, "askPhone", askPhone)));
    }

    private static IntakeState callBack(String caseId, Category category, String description, Optional<Areas.Township> township,
                                        Instant started) {
        IntakeState s = new IntakeState();
        s.caseId = caseId;
        s.category = category.code();
        s.description = description;
        s.townshipCode = township.map(Areas.Township::code).orElse(null);
        s.stage = Stage.COLLECT;
        s.startedAtMillis = started.toEpochMilli();
        return s;
    }
}
