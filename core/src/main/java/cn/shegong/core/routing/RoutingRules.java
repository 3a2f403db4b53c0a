package cn.shegong.core.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;

/**
 * The ordered routing rules (templates/routing.yaml for a new installation; edited in the console):
 * the first rule whose conditions all match a case takes it, naming the station, how a worker is
 * chosen and the deadlines of each step. Parsing refuses a malformed rule with a reason, and rules
 * that would leave some request unmatched (the last rule must match everything).
 */
public record RoutingRules(List<Rule> rules) {

    public enum Step { ASSIGN, ACCEPT, FIRST_CONTACT, CLOSE }

    public enum Choose { LEAST_LOADED, ROUND_ROBIN, HEAD, WORKER }

    public record When(List<String> counties, List<String> townships, List<Category> categories, Optional<Boolean> urgent) {

        /** Whether a request in {@code townshipCode} (empty: unknown) of that category and urgency matches. */
        boolean matches(Optional<String> townshipCode, Category category, boolean isUrgent) {
            return (counties.isEmpty() || townshipCode.filter(t -> counties.stream().anyMatch(t::startsWith)).isPresent())
                    && (townships.isEmpty() || townshipCode.filter(townships::contains).isPresent())
                    && (categories.isEmpty() || categories.contains(category))
                    && urgent.map(u -> u == isUrgent).orElse(true);
        }

        boolean always() {
            return counties.isEmpty() && townships.isEmpty() && categories.isEmpty() && urgent.isEmpty();
        }
    }

    public record Rule(String name, When when, Optional<String> station, Choose choose, Optional<String> worker, Map<Step, Limit> deadlines) {

        public Limit limit(Step step) {
            return deadlines.get(step);
        }
    }

    public Rule match(Optional<String> townshipCode, Category category, boolean urgent) {
        return rules.stream().filter(r -> r.when().matches(townshipCode, category, urgent)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the last rule matches everything"));
    }

    public Rule match(Case c) {
        return match(c.township().map(t -> t.code()), c.category(), c.urgent());
    }

    public Optional<Rule> named(String name) {
        return rules.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The installation's starting rules. */
    public static String defaultsText() {
        try (var in = RoutingRules.class.getClassLoader().getResourceAsStream("routing.yaml")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException | NullPointerException e) {
            throw new IllegalStateException("templates/routing.yaml is missing", e);
        }
    }

    /** Parses rules as YAML; throws {@link IllegalArgumentException} with a reason a city admin can act on. */
    public static RoutingRules parse(String yaml) {
        List<Rule> out = new ArrayList<>();
        try {
            Config root = Config.just(ConfigSources.create(yaml, io.helidon.common.media.type.MediaTypes.APPLICATION_X_YAML));
            List<Config> nodes = root.get("rules").asNodeList().orElse(List.of());
            for (Config r : nodes) {
                out.add(rule(r));
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no rules");
        }
        if (!out.get(out.size() - 1).when().always()) {
            throw new IllegalArgumentException("the last rule must have no conditions, so that every request is routed");
        }
        return new RoutingRules(List.copyOf(out));
    }

    private static Rule rule(Config r) {
        String name = r.get("name").asString().orElseThrow(() -> new IllegalArgumentException("a rule without a name"));
        Config w = r.get("when");
        List<Category> categories = new ArrayList<>();
        for (String code : w.get("categories").asList(String.class).orElse(List.of())) {
            categories.add(Category.fromCode(code).orElseThrow(() -> new IllegalArgumentException(name + ": unknown category " + code)));
        }
        When when = new When(w.get("counties").asList(String.class).orElse(List.of()), w.get("townships").asList(String.class).orElse(List.of()),
                categories, w.get("urgent").asBoolean().asOptional());
        String choose = r.get("choose").asString().orElse("least_loaded");
        Optional<String> worker = choose.startsWith("worker:") ? Optional.of(choose.substring("worker:".length())) : Optional.empty();
        Choose how;
        try {
            how = worker.isPresent() ? Choose.WORKER : Choose.valueOf(choose.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": choose must be least_loaded, round_robin, head or worker:<id>");
        }
        Map<Step, Limit> deadlines = new EnumMap<>(Step.class);
        for (Step step : Step.values()) {
            String key = step.name().toLowerCase(java.util.Locale.ROOT);
            String text = r.get("deadlines." + key).asString().orElseThrow(() -> new IllegalArgumentException(name + ": deadlines." + key + " is missing"));
            try {
                deadlines.put(step, Limit.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": deadlines." + key + ": " + e.getMessage());
            }
        }
        return new Rule(name, when, r.get("station").asString().asOptional(), how, worker, deadlines);
    }
}
