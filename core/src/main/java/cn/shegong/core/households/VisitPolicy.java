package cn.shegong.core.households;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * How often a household is visited (templates/registry/visit-policy.yaml): a rule per care category
 * and per risk level; of all that apply, the strictest (shortest period) wins. Periods are
 * calendar periods, so a quarter after 30 November is 28 February (29 in a leap year).
 */
public final class VisitPolicy {

    /** One rule: for a category or a risk level, a period, and a name and source people can check. */
    public record Rule(Optional<String> category, Optional<Household.Risk> risk, Period every, String name, String source) {

        boolean applies(Collection<String> categories, Household.Risk r) {
            return category.map(categories::contains).orElse(false) || risk.map(x -> x == r).orElse(false);
        }
    }

    /** A reference date to compare periods by length (months differ in days). */
    private static final LocalDate REFERENCE = LocalDate.of(2025, 1, 1);

    private final List<Rule> rules = new ArrayList<>();
    private final Rule majorChange;
    private final int overdueDays;
    private final int quietFrom;
    private final int quietTo;

    public VisitPolicy() {
        Config root = Config.just(ConfigSources.classpath("registry/visit-policy.yaml"));
        for (Config r : root.get("rules").asNodeList().orElseThrow()) {
            rules.add(new Rule(r.get("category").asString().asOptional(),
                    r.get("risk").asString().asOptional().map(Household.Risk::valueOf),
                    Period.parse(r.get("every").asString().get()), r.get("name").asString().get(), r.get("source").asString().orElse("")));
        }
        Config mc = root.get("major_change");
        majorChange = new Rule(Optional.empty(), Optional.empty(), Period.parse(mc.get("within").asString().get()),
                mc.get("name").asString().get(), mc.get("source").asString().orElse(""));
        overdueDays = root.get("overdue_days").asInt().orElse(7);
        quietFrom = root.get("quiet_hours.from").asInt().orElse(21);
        quietTo = root.get("quiet_hours.to").asInt().orElse(8);
    }

    /** The strictest rule for a household's categories and risk; empty when none applies (no visits scheduled). */
    public Optional<Rule> rule(Collection<String> categories, Household.Risk risk) {
        return rules.stream().filter(r -> r.applies(categories, risk))
                .min(Comparator.comparing((Rule r) -> REFERENCE.plus(r.every())));
    }

    /** The visit after one done (or an enrolment) on {@code from}. */
    public static LocalDate next(LocalDate from, Rule rule) {
        return from.plus(rule.every());
    }

    /** The visit after a confirmed major change in a household (within a day by default). */
    public Rule majorChange() {
        return majorChange;
    }

    /** Days overdue after which the station head is told (twice as many: the county). */
    public int overdueDays() {
        return overdueDays;
    }

    /** Whether {@code hour} (0–23, Baoshan time) is in the quiet hours, when no reminder is sent. */
    public boolean quiet(int hour) {
        return quietFrom > quietTo ? hour >= quietFrom || hour < quietTo : hour >= quietFrom && hour < quietTo;
    }

    public List<Rule> rules() {
        return List.copyOf(rules);
    }
}
