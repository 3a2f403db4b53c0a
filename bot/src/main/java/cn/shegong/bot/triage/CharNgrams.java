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

    /** OpenNLP instantiates the generator named in a model by this constructor. */
    public CharNgrams() {
    }

    @Override
    public Collection<String> extractFeatures(String[] chars, Map<String, Object> extraInformation) {
        List<String> features = new ArrayList<>(chars.length * 3);
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

    /** The characters of {@code text} that carry meaning: letters, digits and CJK, lower-cased; no spaces or punctuation. */
    static String[] tokens(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).codePoints()
                .filter(Character::isLetterOrDigit)
                .mapToObj(Character::toString)
                .toArray(String[]::new);
    }
}
