package cn.shegong.bot.intake;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Menus;
import cn.shegong.bot.dialogue.Reply;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.bot.intake.IntakeState.Stage;
import cn.shegong.bot.intake.Vocabulary.Meaning;
import cn.shegong.bot.triage.Triage;
import cn.shegong.bot.triage.TriageResult;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.casework.Phones;

/**
 * The intake proper: agree on a category (or offer a numbered choice), ask only for what is
 * missing — township, phone, name, several of which may come in one message — read it back,
 * and open a numbered case. An urgent case opened early is completed the same way.
 */
final class Collect {

    private final IntakeKit kit;

    Collect(IntakeKit kit) {
        this.kit = kit;
    }

    /** A first message that asks for help (not urgent, no open case): the intake begins. */
    Step start(String openid, String text, Details details, TriageResult t, boolean consented, Instant started) {
        IntakeState s = new IntakeState();
        s.description = text;
        s.startedAtMillis = started.toEpochMilli();
        if (!consented) {
            s.stage = Stage.CONSENT;
            return Step.answer(kit.ask(BotText.PRIVACY_NOTICE, Map.of(), Menus.Question.CONSENT)).with(kit.save(openid, s));
        }
        s.townshipCode = kit.sceneTownship(openid).map(Areas.Township::code).orElse(null);
        absorb(s, details);
        if (t.confidence() < Triage.CONFIDENT || !t.category().isHelpRequest()) {
            return choose(openid, s, t.ranked());
        }
        s.category = t.category().code();
        s.stage = Stage.COLLECT;
        List<String> missing = missing(s);
        if (missing.isEmpty()) {
            return summary(openid, s);
        }
        return Step.answer(confirmed(s, missing)).with(kit.save(openid, s));
    }

    /** The next message of an intake in progress. */
    Step next(String openid, IntakeState s, String text) {
        if (s.stage == Stage.CHOOSE) {
            return picked(openid, s, text);
        }
        if (s.stage == Stage.SUMMARY && kit.words().is(text, Meaning.CONFIRM)) {
            return submit(openid, s);
        }
        if (s.stage == Stage.SUMMARY && kit.words().is(text, Meaning.EDIT)) {
            s.stage = Stage.COLLECT;
            return Step.answer(kit.say(BotText.EDIT_PROMPT)).with(kit.save(openid, s));
        }
        if (kit.words().is(text, Meaning.WRONG) && s.caseId == null) {
            return choose(openid, s, kit.triage().classify(s.description).ranked());
        }
        Details d = Details.from(text, kit.areas(), kit.words());
        if (d.badPhone().isPresent()) {
            absorb(s, d); // keep the township or name sent with it
            return Step.answer(kit.say(BotText.BAD_PHONE, Map.of("phone", d.badPhone().get()))).with(kit.save(openid, s));
        }
        boolean onlyNameMissing = s.stage == Stage.COLLECT && s.townshipCode != null && s.phone != null && s.name == null && s.caseId == null;
        Optional<String> bareName = d.isEmpty() && onlyNameMissing ? kit.words().bareName(text) : Optional.empty();
        bareName.ifPresent(n -> s.name = n); // the answer to a question that asked for the name alone
        if (d.isEmpty() && bareName.isEmpty() && !kit.words().isWord(text) && s.stage == Stage.COLLECT) {
            s.description = s.description + "\n" + text; // more about what happened (not a thanks or an okay)
        }
        absorb(s, d);
        s.stage = Stage.COLLECT;
        return askOrFinish(openid, s);
    }

    /** Asks for what is still missing, or reads the request back (or completes an urgent case opened early). */
    Step askOrFinish(String openid, IntakeState s) {
        List<String> missing = missing(s);
        if (!missing.isEmpty()) {
            return Step.answer(kit.say(BotText.ASK_MISSING, Map.of("ask", String.join("、", missing)))).with(kit.save(openid, s));
        }
        if (s.caseId != null) {
            String id = s.caseId;
            return Step.after(() -> completed(id),
                    Effect.write("case.complete", () -> kit.cases().complete(id, kit.township(s), Optional.ofNullable(s.name),
                            Optional.ofNullable(s.phone), s.description, kit.now())),
                    kit.clear(openid));
        }
        return summary(openid, s);
    }

    private Step picked(String openid, IntakeState s, String text) {
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
        return Step.answer(confirmed(s, missing)).with(kit.save(openid, s));
    }

    private Reply confirmed(IntakeState s, List<String> missing) {
        return kit.say(BotText.CATEGORY_CONFIRMED, Map.of("label", kit.words().label(Category.fromCode(s.category).orElseThrow()),
                "ask", String.join("、", missing)));
    }

    private Reply completed(String caseId) {
        Case c = kit.cases().find(caseId).orElseThrow();
        return Reply.about(c.id(), kit.texts().render(BotText.CASE_COMPLETED, Map.of("number", c.number())));
    }

    private Step summary(String openid, IntakeState s) {
        s.stage = Stage.SUMMARY;
        Areas.Township t = kit.township(s).orElseThrow();
        Map<String, Object> values = new HashMap<>();
        values.put("label", kit.words().label(Category.fromCode(s.category).orElseThrow()));
        values.put("place", t.county() + t.name());
        values.put("description", s.description);
        values.put("phone", Phones.mask(s.phone));
        if (s.name != null) {
            values.put("name", s.name);
        }
        return Step.answer(kit.ask(BotText.SUMMARY, values, Menus.Question.SUMMARY)).with(kit.save(openid, s));
    }

    private Step submit(String openid, IntakeState s) {
        String id = CaseStore.newId();
        CaseStore.NewCase request = new CaseStore.NewCase(openid, Category.fromCode(s.category).orElseThrow(), false, kit.township(s),
                Optional.ofNullable(s.name), Optional.ofNullable(s.phone), s.description, false);
        IntakeKit.Opening opening = kit.openCase(id, request, Instant.ofEpochMilli(s.startedAtMillis));
        return Step.after(() -> {
            Case c = opening.opened().get();
            return Reply.about(c.id(), kit.texts().render(BotText.CASE_CREATED, Map.of("number", c.number(),
                    "station", c.township().map(Areas.Township::name).orElse(""))));
        }, opening.effect(), kit.clear(openid));
    }

    Step choose(String openid, IntakeState s, List<Category> ranked) {
        List<Category> offered = ranked.stream().filter(Category::isHelpRequest).limit(4).toList();
        s.choices = new ArrayList<>(offered.stream().map(Category::code).toList());
        s.stage = Stage.CHOOSE;
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < offered.size(); i++) {
            items.add(Map.of("n", i + 1, "label", kit.words().label(offered.get(i))));
        }
        List<String> labels = offered.stream().map(kit.words()::label).toList();
        return Step.answer(kit.say(BotText.CHOOSE_CATEGORY, Map.of("choices", items)).withMenu(kit.menus().choice(labels)))
                .with(kit.save(openid, s));
    }

    List<String> missing(IntakeState s) {
        List<String> ask = new ArrayList<>();
        if (s.townshipCode == null) {
            ask.add(kit.texts().render(BotText.ASK_TOWNSHIP));
        }
        if (s.phone == null) {
            ask.add(kit.texts().render(BotText.ASK_PHONE));
        }
        if (s.name == null && s.caseId == null) {
            ask.add(kit.texts().render(BotText.ASK_NAME));
        }
        return ask;
    }

    static void absorb(IntakeState s, Details d) {
        d.township().ifPresent(t -> s.townshipCode = t.code());
        d.phone().ifPresent(p -> s.phone = p);
        d.name().ifPresent(n -> s.name = n);
    }
}
