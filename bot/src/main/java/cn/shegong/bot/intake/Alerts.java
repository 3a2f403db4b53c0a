package cn.shegong.bot.intake;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import cn.shegong.bot.outbound.Outbox;
import cn.shegong.bot.outbound.TemplateBindings;
import cn.shegong.core.casework.Case;

/**
 * Tells the on-duty staff about an urgent case at once, by template message (it reaches them
 * whenever they last wrote to the account). Until workers and duty rosters exist, the on-duty
 * staff are the openids in {@code ONDUTY_OPENIDS}.
 */
public final class Alerts {

    public static final String URGENT_CASE = "urgent_case";

    private final Outbox outbox;
    private final List<String> onDuty;
    private final java.time.Clock clock;

    public Alerts(Outbox outbox, List<String> onDuty, java.time.Clock clock) {
        this.outbox = outbox;
        this.onDuty = List.copyOf(onDuty);
        this.clock = clock;
    }

    void urgent(Case c, String categoryLabel) {
        Map<String, String> values = new HashMap<>(TemplateBindings.timeValues(clock.instant()));
        values.put("category", categoryLabel);
        values.put("number", c.number());
        values.put("place", c.township().map(t -> t.county() + t.name()).orElse("-"));
        onDuty.forEach(openid -> outbox.sendNotice(openid, URGENT_CASE, values));
    }
}
