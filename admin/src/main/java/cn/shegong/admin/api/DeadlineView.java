package cn.shegong.admin.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.core.casework.Case;
import cn.shegong.core.routing.DeadlineStore;
import cn.shegong.core.routing.Deadlines;

/**
 * What the inbox and the case page show of a request's deadlines: the rule that routed it, its most
 * pressing open step with its due time and state (ok, amber, red, county), and every open step.
 */
public final class DeadlineView {

    private final DeadlineStore tracks;
    private final Deadlines deadlines;
    private final Clock clock;

    public DeadlineView(DeadlineStore tracks, Deadlines deadlines, Clock clock) {
        this.tracks = tracks;
        this.deadlines = deadlines;
        this.clock = clock;
    }

    Map<String, Object> of(Case c) {
        Map<String, Object> out = new LinkedHashMap<>();
        tracks.find(c.id()).ifPresent(t -> {
            t.rule().ifPresent(r -> out.put("rule", r));
            var steps = deadlines.of(c, t, clock.instant());
            out.put("deadlines", steps.stream().map(d -> Map.of("step", d.step().name(), "due", d.due().toString(),
                    "state", d.state().name())).toList());
            steps.stream().findFirst().ifPresent(d -> out.put("deadline", Map.of("step", d.step().name(), "due", d.due().toString(),
                    "state", d.state().name())));
        });
        return out;
    }
}
