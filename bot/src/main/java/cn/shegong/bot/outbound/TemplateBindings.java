package cn.shegong.bot.outbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import cn.shegong.core.text.Texts;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Which WeChat template each notification kind uses and how our values fill its fields, read from
 * {@code templates/wechat/templates.yaml}. Rendered values follow WeChat's rules since 2023-05: at
 * most 20 characters, no line breaks.
 */
public final class TemplateBindings {

    static final int MAX_VALUE = 20;

    /** A template message ready to send. */
    public record Rendered(String templateId, String url, Map<String, String> data) {
    }

    private record Binding(String templateId, String url, Map<String, String> fields) {
    }

    private final Map<String, Binding> bindings = new LinkedHashMap<>();
    private final Texts texts;

    public TemplateBindings(Texts texts) {
        this.texts = texts;
        Config root = Config.just(ConfigSources.classpath("wechat/templates.yaml"));
        for (Config kind : root.asNodeList().orElseThrow(() -> new IllegalStateException("wechat/templates.yaml is empty"))) {
            Map<String, String> fields = new LinkedHashMap<>();
            kind.get("fields").asNodeList().orElseThrow(() -> new IllegalStateException(kind.name() + " has no fields"))
                    .forEach(f -> fields.put(f.name(), f.asString().get()));
            bindings.put(kind.name(), new Binding(kind.get("template_id").asString().get(),
                    kind.get("url").asString().orElse(""), fields));
        }
    }

    public Set<String> kinds() {
        return bindings.keySet();
    }

    /** The template ids in use, for registering them with a fake account. */
    public Set<String> templateIds() {
        return bindings.values().stream().map(Binding::templateId).collect(java.util.stream.Collectors.toSet());
    }

    public Rendered render(String kind, Map<String, String> values) {
        Binding binding = bindings.get(kind);
        if (binding == null) {
            throw new IllegalArgumentException("no template binding '" + kind + "' in templates/wechat/templates.yaml");
        }
        Map<String, String> data = new LinkedHashMap<>();
        binding.fields().forEach((field, pattern) -> data.put(field, fit(texts.renderInline(kind + "." + field, pattern, values))));
        return new Rendered(binding.templateId(), binding.url(), data);
    }

    /**
     * The date and time values every binding's time field uses ({@code {{year}}年{{month}}月{{day}}日 {{hm}}}
     * in templates.yaml), in Baoshan's time zone.
     */
    public static Map<String, String> timeValues(java.time.Instant at) {
        java.time.ZonedDateTime t = at.atZone(java.time.ZoneId.of("Asia/Shanghai"));
        return Map.of("year", Integer.toString(t.getYear()), "month", Integer.toString(t.getMonthValue()),
                "day", Integer.toString(t.getDayOfMonth()), "hm", String.format("%02d:%02d", t.getHour(), t.getMinute()));
    }

    /** One line of at most 20 characters (code points, so no emoji is cut in half). */
    static String fit(String value) {
        String line = value.replaceAll("\\s+", " ").strip();
        if (line.codePointCount(0, line.length()) <= MAX_VALUE) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, MAX_VALUE - 1)) + "…";
    }
}
