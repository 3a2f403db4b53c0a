package cn.shegong.server;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.time.AdjustableClock;

/**
 * What the simulator may ask of the demo's service, so a trainer can show a whole day on demand:
 * jump to the next 09:00 in Baoshan and run the morning sweeps (visit reminders, overdue visits
 * escalated to the station head, requests routed, deadlines warned and breached); and say what
 * waits in the outbox while a WeChat failure is switched on.
 */
final class DemoActions {

    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    private DemoActions() {
    }

    static Map<String, Object> nextMorning(Shegong shegong, AdjustableClock clock) {
        ZonedDateTime now = clock.instant().atZone(BAOSHAN);
        ZonedDateTime nine = now.toLocalDate().atTime(9, 0).atZone(BAOSHAN);
        if (!nine.isAfter(now)) {
            nine = nine.plusDays(1);
        }
        clock.advance(java.time.Duration.between(now, nine));
        var visits = shegong.households().sweep().runOnce();
        var cases = shegong.caseSweep().runOnce();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", nine.toLocalDateTime().toString());
        out.put("offsetHours", clock.offset().toHours());
        out.put("visitsDue", visits.due());
        out.put("reminded", visits.reminded());
        out.put("overdueToHeads", visits.toHeads());
        out.put("routed", cases.routed());
        out.put("deadlinesWarned", cases.warned());
        out.put("deadlinesBreached", cases.breached());
        return out;
    }

    static Map<String, Object> outbox(Shegong shegong) {
        OutboxStore.Backlog b = shegong.outboxStore().backlog();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("pending", b.pending());
        out.put("retrying", b.retrying());
        b.nextRetry().ifPresent(t -> out.put("nextRetry", t.atZone(BAOSHAN).toLocalTime().withNano(0).toString()));
        return out;
    }
}
