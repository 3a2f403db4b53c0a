package cn.shegong.bot.triage;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import cn.shegong.core.casework.Category;

/**
 * One labelled sentence from a triage TSV file. Training files have {@code category urgency text};
 * evaluation files have {@code id category urgency text}. The first line is a header.
 */
public record LabelledText(String id, Category category, boolean urgent, String text) {

    public static List<LabelledText> read(InputStream in, boolean withId) {
        List<LabelledText> out = new ArrayList<>();
        List<String> lines = Triage.lines(in);
        for (int n = 1; n < lines.size(); n++) {
            String[] cols = lines.get(n).split("\t", -1);
            int offset = withId ? 1 : 0;
            if (cols.length != 3 + offset) {
                throw new IllegalArgumentException("line " + (n + 1) + ": expected " + (3 + offset) + " tab-separated columns");
            }
            Category category = Category.fromCode(cols[offset]).orElseThrow(() ->
                    new IllegalArgumentException("unknown category '" + cols[offset] + "'"));
            out.add(new LabelledText(withId ? cols[0] : "t" + n, category, "urgent".equals(cols[offset + 1]), cols[offset + 2]));
        }
        return out;
    }
}
