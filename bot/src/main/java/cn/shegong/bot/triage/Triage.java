package cn.shegong.bot.triage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import cn.shegong.core.casework.Category;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.util.CollectionObjectStream;
import opennlp.tools.util.TrainingParameters;

/**
 * Reads a resident's message and says what it is about and whether it is urgent. Two OpenNLP
 * maxent document categorizers over character n-grams, trained at start-up from
 * {@code templates/triage/train.tsv} in file order (so the model is the same every time):
 * one for the category, one for urgency. Urgency favours recall — missing an urgent message is
 * the worst error — so a request for help is urgent when the urgency model gives it at least
 * {@link #URGENT_THRESHOLD} (below the share of urgent sentences in the data, which is why the model
 * is not asked about messages confidently classified as greetings or policy questions), and any message is urgent when it contains
 * one of the phrases in {@code templates/triage/urgent-signals.txt}.
 */
public final class Triage {

    /** OpenNLP logs every training iteration at INFO; start-up needs none of it. */
    private static final java.util.logging.Logger OPENNLP_LOG = java.util.logging.Logger.getLogger("opennlp");

    static {
        OPENNLP_LOG.setLevel(java.util.logging.Level.WARNING);
        // The model names its feature generator by class; OpenNLP loads only allowed packages.
        opennlp.tools.util.ext.ExtensionLoader.registerAllowedPackage(CharNgrams.class.getPackageName());
    }

    /** Below this the bot asks the person to choose instead of guessing. */
    public static final double CONFIDENT = 0.45;
    static final double URGENT_THRESHOLD = 0.15;
    /** An uncertain message shorter than this (a four-character question) carries too little for the model to call an emergency. */
    static final int MIN_UNCERTAIN_CHARS = 6;

    private final DocumentCategorizerME categories;
    private final DocumentCategorizerME urgency;
    private final List<String> urgentSignals;
    private final List<String> courtesyPrefixes;

    private Triage(DoccatModel categoryModel, DoccatModel urgencyModel, List<String> urgentSignals,
                   List<String> courtesyPrefixes) {
        this.categories = new DocumentCategorizerME(categoryModel);
        this.urgency = new DocumentCategorizerME(urgencyModel);
        this.urgentSignals = urgentSignals;
        this.courtesyPrefixes = courtesyPrefixes.stream().map(p -> String.join("", CharNgrams.tokens(p)))
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Trains from the files in templates/triage/ on the classpath. */
    public static Triage fromTemplates() {
        return train(trainingData(), urgentSignals(), courtesyPrefixes());
    }

    public static List<LabelledText> trainingData() {
        return LabelledText.read(resource("triage/train.tsv"), false);
    }

    public static List<String> courtesyPrefixes() {
        return lines(resource("triage/courtesy-prefixes.txt"));
    }

    public static List<String> urgentSignals() {
        return lines(resource("triage/urgent-signals.txt"));
    }

    public static Triage train(List<LabelledText> data, List<String> urgentSignals, List<String> courtesyPrefixes) {
        List<DocumentSample> byCategory = new ArrayList<>();
        List<DocumentSample> byUrgency = new ArrayList<>();
        for (LabelledText t : data) {
            String[] tokens = CharNgrams.tokens(t.text());
            byCategory.add(new DocumentSample(t.category().code(), tokens));
            byUrgency.add(new DocumentSample(t.urgent() ? "urgent" : "normal", tokens));
        }
        return new Triage(model(byCategory), model(byUrgency), urgentSignals, courtesyPrefixes);
    }

    private static DoccatModel model(List<DocumentSample> samples) {
        TrainingParameters params = new TrainingParameters();
        params.put(TrainingParameters.ALGORITHM_PARAM, "MAXENT");
        params.put(TrainingParameters.ITERATIONS_PARAM, 300);
        params.put(TrainingParameters.CUTOFF_PARAM, 1);
        try {
            return DocumentCategorizerME.train("zh", new CollectionObjectStream<>(samples), params,
                    new DoccatFactory(new FeatureGenerator[] {new CharNgrams()}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TriageResult classify(String text) {
        String[] tokens = withoutCourtesy(CharNgrams.tokens(text == null ? "" : text));
        if (tokens.length == 0) {
            return new TriageResult(Category.OTHER, false, 0, List.of(Category.OTHER));
        }
        double[] p = categories.categorize(tokens);
        List<Category> ranked = Arrays.stream(Category.values())
                .filter(c -> categories.getIndex(c.code()) >= 0)
                .sorted(Comparator.comparingDouble((Category c) -> -p[categories.getIndex(c.code())]))
                .toList();
        Category best = ranked.get(0);
        double[] u = urgency.categorize(tokens);
        boolean confident = p[categories.getIndex(best.code())] >= CONFIDENT;
        boolean maybeHelp = (best.isHelpRequest() || !confident) && (confident || tokens.length >= MIN_UNCERTAIN_CHARS);
        boolean urgent = (maybeHelp && u[urgency.getIndex("urgent")] >= URGENT_THRESHOLD)
                || urgentSignals.stream().anyMatch(text::contains);
        return new TriageResult(best, urgent, p[categories.getIndex(best.code())], ranked);
    }

    /** Drops leading greetings (你好, 请问…) when something follows them: they say nothing about the need. */
    private String[] withoutCourtesy(String[] tokens) {
        String joined = String.join("", tokens);
        boolean stripped = true;
        while (stripped) {
            stripped = false;
            for (String p : courtesyPrefixes) {
                if (joined.startsWith(p) && joined.length() > p.length()) {
                    joined = joined.substring(p.length());
                    stripped = true;
                }
            }
        }
        return joined.codePoints().mapToObj(Character::toString).toArray(String[]::new);
    }

    static InputStream resource(String path) {
        InputStream in = Triage.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is missing from templates/");
        }
        return in;
    }

    static List<String> lines(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
