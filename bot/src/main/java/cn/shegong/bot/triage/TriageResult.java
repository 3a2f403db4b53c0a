package cn.shegong.bot.triage;

import java.util.List;

import cn.shegong.core.casework.Category;

/**
 * What triage made of a message.
 *
 * @param confidence the category model's probability for {@code category}, 0 to 1
 * @param ranked     the categories from most to least likely, for a numbered list when unsure
 */
public record TriageResult(Category category, boolean urgent, double confidence, List<Category> ranked) {

    public String urgency() {
        return urgent ? "urgent" : "normal";
    }
}
