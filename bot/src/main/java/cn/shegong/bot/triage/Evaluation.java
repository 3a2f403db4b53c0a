package cn.shegong.bot.triage;

import java.io.PrintStream;
import java.util.List;

import cn.shegong.core.casework.Category;

/** Accuracy, macro-F1, a confusion matrix, urgent precision and recall of triage on labelled sentences. */
public record Evaluation(int total, int correct, double macroF1, int[][] confusion, int urgentTrue, int urgentPredicted,
                         int urgentHit, List<String> missedUrgent) {

    public static Evaluation of(Triage triage, List<LabelledText> data) {
        Category[] cats = Category.values();
        int[][] confusion = new int[cats.length][cats.length];
        int correct = 0;
        int urgentTrue = 0;
        int urgentPredicted = 0;
        int urgentHit = 0;
        List<String> missed = new java.util.ArrayList<>();
        for (LabelledText t : data) {
            TriageResult r = triage.classify(t.text());
            confusion[t.category().ordinal()][r.category().ordinal()]++;
            if (r.category() == t.category()) {
                correct++;
            }
            urgentTrue += t.urgent() ? 1 : 0;
            urgentPredicted += r.urgent() ? 1 : 0;
            if (t.urgent() && r.urgent()) {
                urgentHit++;
            } else if (t.urgent()) {
                missed.add(t.id() + "\t" + t.text());
            }
        }
        return new Evaluation(data.size(), correct, macroF1(confusion), confusion, urgentTrue, urgentPredicted,
                urgentHit, missed);
    }

    /** The mean F1 over the categories that occur. */
    static double macroF1(int[][] confusion) {
        int n = confusion.length;
        double f1Sum = 0;
        int classes = 0;
        for (int c = 0; c < n; c++) {
            int tp = confusion[c][c];
            int actual = 0;
            int predicted = 0;
            for (int k = 0; k < n; k++) {
                actual += confusion[c][k];
                predicted += confusion[k][c];
            }
            if (actual == 0) {
                continue;
            }
            classes++;
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = (double) tp / actual;
            f1Sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return f1Sum / Math.max(1, classes);
    }

    /**
     * k-fold cross-validation on the training data: sentence i is in fold i mod k; each fold is
     * classified by a model trained on the others. An estimate that never looks at the held-out file.
     */
    public static Evaluation crossValidate(List<LabelledText> data, SafetyRules safety, List<String> prefixes, int k) {
        List<Evaluation> folds = new java.util.ArrayList<>();
        for (int fold = 0; fold < k; fold++) {
            List<LabelledText> train = new java.util.ArrayList<>();
            List<LabelledText> test = new java.util.ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                (i % k == fold ? test : train).add(data.get(i));
            }
            folds.add(of(Triage.train(train, safety, prefixes), test));
        }
        Category[] cats = Category.values();
        int[][] confusion = new int[cats.length][cats.length];
        int total = 0;
        int correct = 0;
        int urgentTrue = 0;
        int urgentPredicted = 0;
        int urgentHit = 0;
        List<String> missed = new java.util.ArrayList<>();
        for (Evaluation e : folds) {
            total += e.total;
            correct += e.correct;
            urgentTrue += e.urgentTrue;
            urgentPredicted += e.urgentPredicted;
            urgentHit += e.urgentHit;
            missed.addAll(e.missedUrgent);
            for (int r = 0; r < cats.length; r++) {
                for (int c = 0; c < cats.length; c++) {
                    confusion[r][c] += e.confusion[r][c];
                }
            }
        }
        return new Evaluation(total, correct, macroF1(confusion), confusion, urgentTrue, urgentPredicted, urgentHit, missed);
    }

    public double accuracy() {
        return (double) correct / Math.max(1, total);
    }

    public double urgentRecall() {
        return urgentTrue == 0 ? 1 : (double) urgentHit / urgentTrue;
    }

    public double urgentPrecision() {
        return urgentPredicted == 0 ? 1 : (double) urgentHit / urgentPredicted;
    }

    public void print(PrintStream out) {
        out.printf("sentences %d  accuracy %.3f  macro-F1 %.3f%n", total, accuracy(), macroF1);
        out.printf("urgent: precision %.3f  recall %.3f  (%d urgent, %d flagged, %d caught)%n",
                urgentPrecision(), urgentRecall(), urgentTrue, urgentPredicted, urgentHit);
        out.printf("flagged urgent: %d of %d (%.1f%%)%n", urgentPredicted, total, 100.0 * urgentPredicted / Math.max(1, total));
        missedUrgent.forEach(m -> out.println("missed urgent: " + m));
        out.println();
        out.print(String.format("%-11s", "true\\pred"));
        for (Category c : Category.values()) {
            out.print(String.format("%6.6s", c.code()));
        }
        out.println();
        for (Category row : Category.values()) {
            out.print(String.format("%-11s", row.code()));
            for (Category col : Category.values()) {
                out.print(String.format("%6d", confusion[row.ordinal()][col.ordinal()]));
            }
            out.println();
        }
    }
}
