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
import java.util.Optional;
import java.nio.file.Path;

import cn.shegong.core.casework.Category;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.ml.model.MaxentModel;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.util.CollectionObjectStream;
import opennlp.tools.util.TrainingParameters;

/**
 * Reads a resident's message and says what it is about and whether it is urgent. Two OpenNLP
 * maxent document categorizers over character n-grams, trained at start-up from
 * {@code templates/triage/train/} in file order (so the model is the same every time): one for
 * the category, one for urgency. Urgency is a safety layer in its own right: a message is urgent
 * when it matches one of the reviewable {@link SafetyRules}, or when the urgency model gives it at
 * least {@link #URGENT_THRESHOLD} — set low, because a false alarm costs a phone call and a miss
 * can cost a life — unless the message carries no need at all (confidently a greeting, a test,
 * an advert or a policy question).
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
    public static final double CONFIDENT = 0.30;
    static final double URGENT_THRESHOLD = 0.20;
    /** When the model's best guess is "no request" (other, policy), it must be far surer that the message is urgent. */
    static final double URGENT_THRESHOLD_NO_REQUEST = 0.70;
    /** A message the model is this sure carries no need (a greeting, a test) is not asked about urgency. */
    static final double NO_NEED = 0.60;
    /** An uncertain message shorter than this (a four-character question) carries too little for the model to call an emergency. */
    static final int MIN_UNCERTAIN_CHARS = 6;

    /** The models are asked directly with one feature array per message (OpenNLP's categorizer would build it twice). */
    private final MaxentModel categories;
    private final MaxentModel urgency;
    private final int urgentIndex;
    /** The categories the model knows, and each one's index among its outcomes. */
    private final Category[] known;
    private final int[] index;
    private final SafetyRules safety;
    private final List<String> courtesyPrefixes;

    private Triage(DoccatModel categoryModel, DoccatModel urgencyModel, SafetyRules safety, List<String> courtesyPrefixes) {
        this.categories = categoryModel.getMaxentModel();
        this.urgency = urgencyModel.getMaxentModel();
        this.urgentIndex = urgency.getIndex("urgent");
        this.known = Arrays.stream(Category.values()).filter(c -> categories.getIndex(c.code()) >= 0).toArray(Category[]::new);
        this.index = Arrays.stream(known).mapToInt(c -> categories.getIndex(c.code())).toArray();
        this.safety = safety;
        this.courtesyPrefixes = courtesyPrefixes.stream().map(p -> String.join("", CharNgrams.tokens(p)))
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    /** Trains from the files in templates/triage/ on the classpath. */
    public static Triage fromTemplates() {
        return fromTemplates(Optional.empty());
    }

    /** As {@link #fromTemplates()}, keeping the trained models in {@code folder} for the next start. */
    public static Triage fromTemplates(Optional<Path> folder) {
        DoccatModel[] models = TrainedModels.of(trainingData(), folder);
        return new Triage(models[0], models[1], SafetyRules.fromTemplates(), courtesyPrefixes());
    }

    /** Every file in templates/triage/train/: one per category (and an extra-… file where there is one), and the first, smaller set. */
    public static List<LabelledText> trainingData() {
        List<LabelledText> all = new ArrayList<>(LabelledText.read(resource("triage/train/first.tsv"), false));
        for (Category c : Category.values()) {
            all.addAll(LabelledText.read(resource("triage/train/" + c.code() + ".tsv"), false));
            InputStream extra = Triage.class.getClassLoader().getResourceAsStream("triage/train/extra-" + c.code() + ".tsv");
            if (extra != null) {
                all.addAll(LabelledText.read(extra, false));
            }
        }
        return all;
    }

    public static List<String> courtesyPrefixes() {
        return lines(resource("triage/courtesy-prefixes.txt"));
    }

    public static Triage train(List<LabelledText> data, SafetyRules safety, List<String> courtesyPrefixes) {
        DoccatModel[] models = trainModels(data);
        return new Triage(models[0], models[1], safety, courtesyPrefixes);
    }

    /** The category model and the urgency model. */
    static DoccatModel[] trainModels(List<LabelledText> data) {
        List<DocumentSample> byCategory = new ArrayList<>();
        List<DocumentSample> byUrgency = new ArrayList<>();
        for (LabelledText t : data) {
            String[] tokens = CharNgrams.tokens(t.text());
            byCategory.add(new DocumentSample(t.category().code(), tokens));
            byUrgency.add(new DocumentSample(t.urgent() ? "urgent" : "normal", tokens));
        }
        return new DoccatModel[] {model(byCategory), model(byUrgency)};
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
            return TriageResult.empty();
        }
        String[] features = CharNgrams.features(tokens);
        double[] p = categories.eval(features);
        Integer[] order = new Integer[known.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[index[b]], p[index[a]]));
        List<Category> ranked = Arrays.stream(order).map(i -> known[i]).toList();
        Category best = ranked.get(0);
        double confidence = p[index[order[0]]];
        double threshold = best.isHelpRequest() ? URGENT_THRESHOLD : URGENT_THRESHOLD_NO_REQUEST;
        boolean ruled = safety.match(text).isPresent(); // the rules first: when one matches, the model need not be asked
        double probability = ruled ? 1 : urgency.eval(features)[urgentIndex];
        boolean urgent = ruled || (mayNeedHelp(best, confidence, tokens) && probability >= threshold);
        return new TriageResult(best, urgent, confidence, ranked, ruled, probability);
    }

    private static boolean mayNeedHelp(Category best, double confidence, String[] tokens) {
        boolean noNeed = !best.isHelpRequest() && confidence >= NO_NEED;
        return !noNeed && (confidence >= CONFIDENT || tokens.length >= MIN_UNCERTAIN_CHARS);
    }

    private double urgentProbability(String[] tokens) {
        return urgency.eval(CharNgrams.features(tokens))[urgentIndex];
    }

    /**
     * Why a message was judged as it was: the safety rules it matched, the model's urgency
     * probability, and the parts of the text that raise it most (each character pair left out
     * in turn: how much the probability falls without it).
     */
    public Explanation explain(String text) {
        TriageResult result = classify(text);
        String[] tokens = withoutCourtesy(CharNgrams.tokens(text == null ? "" : text));
        double whole = tokens.length == 0 ? 0 : urgentProbability(tokens);
        java.util.Map<String, Double> drops = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < tokens.length; i++) {
            String[] without = new String[tokens.length - 2];
            System.arraycopy(tokens, 0, without, 0, i);
            System.arraycopy(tokens, i + 2, without, i, tokens.length - i - 2);
            drops.merge(tokens[i] + tokens[i + 1], whole - (without.length == 0 ? 0 : urgentProbability(without)), Math::max);
        }
        List<String> strongest = drops.entrySet().stream().filter(e -> e.getValue() > 0.01)
                .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> e.getKey() + String.format(" %+.2f", e.getValue())).toList();
        return new Explanation(result, safety.matches(text).stream().map(SafetyRules.Rule::name).toList(), whole, strongest);
    }

    /** What {@link #explain} found. */
    public record Explanation(TriageResult result, List<String> rules, double urgentProbability, List<String> strongest) {
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
