package cn.shegong.core.households;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/** The care categories a household can be enrolled in (templates/registry/care-categories.yaml). */
public final class CareCategories {

    public record Category(String code, String label, String group) {
    }

    private final Map<String, Category> byCode = new LinkedHashMap<>();

    public CareCategories() {
        for (Config c : Config.just(ConfigSources.classpath("registry/care-categories.yaml")).get("categories").asNodeList().orElseThrow()) {
            Category cat = new Category(c.get("code").asString().get(), c.get("label").asString().get(), c.get("group").asString().get());
            byCode.put(cat.code(), cat);
        }
    }

    public Optional<Category> byCode(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** The category whose label is {@code label} (as a spreadsheet or a person writes it). */
    public Optional<Category> byLabel(String label) {
        String l = label.strip();
        return byCode.values().stream().filter(c -> c.label().equals(l)).findFirst();
    }

    public List<Category> all() {
        return List.copyOf(byCode.values());
    }

    public String label(String code) {
        return byCode(code).map(Category::label).orElse(code);
    }
}
