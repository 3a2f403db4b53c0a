package cn.shegong.core.text;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheNotFoundException;

/**
 * Renders the texts in {@code templates/texts/} (on the classpath as {@code texts/KEY.mustache}).
 * Values are inserted as they are: these texts go into WeChat messages, which are plain text;
 * HTML pages escape on their own.
 */
public final class Texts {

    private final DefaultMustacheFactory factory = new DefaultMustacheFactory("texts") {
        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();

    /** Compiles every listed text now, so a missing file stops start-up instead of failing a resident later. */
    public Texts require(TextKey... keys) {
        for (TextKey key : keys) {
            mustache(key);
        }
        return this;
    }

    public String render(TextKey key) {
        return render(key, Map.of());
    }

    public String render(TextKey key, Map<String, ?> values) {
        StringWriter out = new StringWriter();
        mustache(key).execute(out, values);
        return out.toString().strip();
    }

    /** Renders a short template that lives in another file of templates/ (e.g. a template-message field). */
    public String renderInline(String name, String template, Map<String, ?> values) {
        Mustache inline = compiled.computeIfAbsent("inline:" + name + ":" + template,
                k -> factory.compile(new java.io.StringReader(template), name));
        StringWriter out = new StringWriter();
        inline.execute(out, values);
        return out.toString().strip();
    }

    private Mustache mustache(TextKey key) {
        return compiled.computeIfAbsent(key.key(), name -> {
            try {
                return factory.compile(name + ".mustache");
            } catch (MustacheNotFoundException e) {
                throw new IllegalStateException("text '" + name + "' is missing: add templates/texts/" + name + ".mustache");
            }
        });
    }
}
