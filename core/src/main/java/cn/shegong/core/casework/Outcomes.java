package cn.shegong.core.casework;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** The outcomes a closed request can record (templates/outcomes.yaml). */
public final class Outcomes {

    public record Kind(String code, String label, boolean amount) {
    }

    private final List<Kind> kinds = new ArrayList<>();

    public Outcomes() {
        for (Config o : Config.just(ConfigSources.classpath("outcomes.yaml")).get("outcomes").asNodeList().orElseThrow()) {
            kinds.add(new Kind(o.get("code").asString().get(), o.get("label").asString().get(), o.get("amount").asBoolean().orElse(false)));
        }
    }

    public List<Kind> all() {
        return List.copyOf(kinds);
    }

    public Optional<Kind> byCode(String code) {
        return kinds.stream().filter(k -> k.code().equals(code)).findFirst();
    }
}
