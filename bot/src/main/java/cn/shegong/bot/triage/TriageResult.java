package cn.shegong.bot.triage;

import java.util.List;

import cn.shegong.core.casework.Category;

/**
 * What triage made of a message.
 *
 * @param confidence the category model's probability for {@code category}, 0 to 1
 * @param ranked     the categories from most to least likely, for a numbered list when unsure
 * @param ruled      a safety rule matched (urgent whatever the model says)
 */
public record TriageResult(Category category, boolean urgent, double confidence, List<Category> ranked, boolean ruled,
                           double urgentProbability) {

    /** Nothing to classify. */
    public static TriageResult empty() {
        return new TriageResult(Category.OTHER, false, 0, List.of(Category.OTHER), false, 0);
    }

    /** Urgent beyond doubt: a safety rule matched, or the model is at least {@code probability} sure. */
    public boolean urgentAtLeast(double probability) {
        return urgent && (ruled || urgentProbability >= probability);
    }

    public String urgency() {
        return urgent ? "urgent" : "normal";
    }
}
