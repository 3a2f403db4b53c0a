package cn.shegong.bot.triage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import opennlp.tools.doccat.FeatureGenerator;

/**
 * Character n-gram features for Chinese, which has no spaces: the "tokens" handed to OpenNLP are
 * single characters, and this generator turns them into unigrams, bigrams and trigrams.
 */
public final class CharNgrams implements FeatureGenerator {

    /** Changes whenever the features change, so models trained with the old ones are not reused. */
    static final String VERSION = "charngrams-3";

    /** OpenNLP instantiates the generator named in a model by this constructor. */
    public CharNgrams() {
    }

    /** The features of a message's characters, as the models are asked with them. */
    static String[] features(String[] chars) {
        return new CharNgrams().extractFeatures(chars, Map.of()).toArray(String[]::new);
    }

    @Override
    public Collection<String> extractFeatures(String[] chars, Map<String, Object> extraInformation) {
        List<String> features = new ArrayList<>(chars.length * 3 + 2);
        // A constant feature lets maxent learn each class's prior (without it a message with few
        // features scores near 1/2 for "urgent"), and a length bucket lets it learn that a
        // two-character acknowledgement says less than a paragraph.
        features.add("bias");
        features.add("len=" + (chars.length < 4 ? "xs" : chars.length < 10 ? "s" : chars.length < 30 ? "m" : "l"));
        for (int i = 0; i < chars.length; i++) {
            features.add("1=" + chars[i]);
            if (i + 1 < chars.length) {
                features.add("2=" + chars[i] + chars[i + 1]);
            }
            if (i + 2 < chars.length) {
                features.add("3=" + chars[i] + chars[i + 1] + chars[i + 2]);
            }
        }
        return features;
    }

    /**
     * The characters of {@code text} that carry meaning: letters, digits and CJK, lower-cased; no
     * spaces or punctuation, and no Latin letters in a message written in Chinese. A run of five or more digits (a phone number, an ID) becomes one "#":
     * what a number says is that there is one, not which.
     */
    static String[] tokens(String text) {
        List<String> out = new ArrayList<>();
        int digits = 0;
        boolean chinese = text.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).limit(4).count() == 4;
        for (int cp : text.toLowerCase(java.util.Locale.ROOT).codePoints().toArray()) {
            if (!Character.isLetterOrDigit(cp) || (chinese && cp < 0x80 && Character.isLetter(cp))) {
                continue; // in a Chinese message, Latin letters (a pasted link, markup) say nothing about the need
            }
            boolean digit = cp >= '0' && cp <= '9';
            digits = digit ? digits + 1 : 0;
            if (digits == 5) {
                out.subList(out.size() - 4, out.size()).clear();
                out.add("#");
            } else if (digits < 5) {
                out.add(Character.toString(cp));
            }
        }
        return out.toArray(String[]::new);
    }
}
