package cn.shegong.core.households;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The lexicon of 动态监测 risk signals (templates/registry/risk-signals.yaml): which signals a text
 * shows, each with the words around its first hit quoted as evidence for the reviewer.
 */
public final class RiskSignals {

    public record Signal(String code, String label, List<String> words) {
    }

    /** A signal found in a text, and the stretch of text that shows it. */
    public record Hit(String code, String label, String quote) {
    }

    private final Map<String, Signal> signals = new LinkedHashMap<>();
    private final int around;

    public RiskSignals() {
        Config root = Config.just(ConfigSources.classpath("registry/risk-signals.yaml"));
        for (Config s : root.get("signals").asNodeList().orElseThrow()) {
            Signal signal = new Signal(s.get("code").asString().get(), s.get("label").asString().get(), s.get("words").asList(String.class).get());
            signals.put(signal.code(), signal);
        }
        around = root.get("quote_around").asInt().orElse(20);
    }

    public List<Hit> find(String text) {
        List<Hit> hits = new ArrayList<>();
        for (Signal s : signals.values()) {
            int at = -1;
            for (String w : s.words()) {
                int i = text.indexOf(w);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                }
            }
            if (at >= 0) {
                int from = Math.max(0, at - around);
                int to = Math.min(text.length(), at + around);
                hits.add(new Hit(s.code(), s.label(), (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "")));
            }
        }
        return hits;
    }

    public String label(String code) {
        return signals.containsKey(code) ? signals.get(code).label() : code;
    }
}
