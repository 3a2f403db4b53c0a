package cn.shegong.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.triage.Evaluation;
import cn.shegong.bot.triage.LabelledText;
import cn.shegong.bot.triage.SafetyRules;
import cn.shegong.bot.triage.Triage;
import cn.shegong.bot.triage.TriageResult;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code ./shegong triage}: one JSON object per input line ({@code category}, {@code urgency},
 * {@code confidence}); {@code ./shegong triage --eval FILE.tsv} prints accuracy, macro-F1, the
 * confusion matrix and urgent precision and recall on a labelled file; {@code --cv K} does the same
 * by K-fold cross-validation on the training data.
 */
final class TriageCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TriageCommand() {
    }

    static int run(List<String> args, InputStream in, PrintStream out) throws IOException {
        Triage triage = Triage.fromTemplates(Optional.of(Path.of(Main.demoEnv().get("SHEGONG_DATA_DIR")).resolve("models")));
        if (args.size() == 2 && args.get(0).equals("--eval")) {
            try (InputStream file = Files.newInputStream(Path.of(args.get(1)))) {
                Evaluation.of(triage, LabelledText.read(file, true)).print(out);
            }
            return 0;
        }
        if (args.size() == 2 && args.get(0).equals("--cv")) {
            Evaluation.crossValidate(Triage.trainingData(), SafetyRules.fromTemplates(), Triage.courtesyPrefixes(),
                    Integer.parseInt(args.get(1))).print(out);
            return 0;
        }
        if (args.size() == 2 && args.get(0).equals("--speed")) {
            return speed(triage, LabelledText.read(Files.newInputStream(Path.of(args.get(1))), true), out);
        }
        boolean explain = args.contains("--explain");
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            Triage.Explanation why = explain ? triage.explain(line) : null;
            TriageResult r = explain ? why.result() : triage.classify(line);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("category", r.category().code());
            json.put("urgency", r.urgency());
            json.put("confidence", Math.round(r.confidence() * 1000) / 1000.0);
            if (explain) {
                json.put("rules", why.rules());
                json.put("urgentProbability", Math.round(why.urgentProbability() * 1000) / 1000.0);
                json.put("strongest", why.strongest());
            }
            out.println(JSON.writeValueAsString(json));
        }
        out.flush();
        return 0;
    }

    /** Mean time to triage one message: every message of a labelled file, 20 rounds after 5 of warm-up. */
    private static int speed(Triage triage, List<LabelledText> messages, PrintStream out) {
        for (int round = 0; round < 5; round++) {
            messages.forEach(m -> triage.classify(m.text()));
        }
        long start = System.nanoTime();
        int n = 0;
        for (int round = 0; round < 20; round++) {
            for (LabelledText m : messages) {
                triage.classify(m.text());
                n++;
            }
        }
        out.printf("%d classifications, %.1f µs each on average%n", n, (System.nanoTime() - start) / 1e3 / n);
        return 0;
    }
}
