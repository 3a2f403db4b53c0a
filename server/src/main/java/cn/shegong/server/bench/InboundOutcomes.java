package cn.shegong.server.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service's pushes by outcome so far, read from its {@code shegong_wechat_inbound_total} metric. */
final class InboundOutcomes {

    private static final Pattern LINE = Pattern.compile(
            "^shegong_wechat_inbound_total\\{[^}]*outcome=\"([a-z_]+)\"[^}]*}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    private InboundOutcomes() {
    }

    /** Outcome → count, in the outcomes' order. */
    static Map<String, Long> parse(String metrics) {
        Map<String, Long> counts = new TreeMap<>();
        Matcher m = LINE.matcher(metrics);
        while (m.find()) {
            counts.merge(m.group(1), Math.round(Double.parseDouble(m.group(2))), Long::sum);
        }
        return counts;
    }
}
