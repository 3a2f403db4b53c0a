package cn.shegong.admin.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Phones;
import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.outbox.OutboxStore;

/**
 * What the case page shows of the messages we sent the resident while the request was theirs — from
 * its opening until their next request opened (outbox items name no case), at most the 50 latest —
 * and where each stands: queued, retrying (and when), sent, delivered or failed.
 */
public final class DeliveryView {

    static final int LATEST = 50;

    private final OutboxStore outbox;
    private final CaseStore cases;

    public DeliveryView(OutboxStore outbox, CaseStore cases) {
        this.outbox = outbox;
        this.cases = cases;
    }

    List<Map<String, Object>> of(Case c, boolean full) {
        Instant until = cases.forResident(c.openid()).stream().map(Case::createdAt).filter(t -> t.isAfter(c.createdAt()))
                .min(Comparator.naturalOrder()).orElse(Instant.MAX);
        List<OutboxItem> sent = outbox.forOpenid(c.openid()).stream()
                .filter(o -> !o.createdAt().isBefore(c.createdAt()) && o.createdAt().isBefore(until)).toList();
        return sent.subList(Math.max(0, sent.size() - LATEST), sent.size()).stream().map(o -> delivery(o, full)).toList();
    }

    private static Map<String, Object> delivery(OutboxItem o, boolean full) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("at", o.createdAt().toString());
        d.put("text", o.text().map(t -> full ? t : Phones.maskAll(t)).orElse(""));
        d.put("notice", o.notice().map(OutboxItem.Notice::kind).orElse(""));
        d.put("status", o.status().name());
        d.put("attempts", o.attempts());
        d.put("nextAttemptAt", o.nextAttemptAt().toString());
        o.sentAt().ifPresent(t -> d.put("sentAt", t.toString()));
        o.sentAs().ifPresent(t -> d.put("sentAs", t));
        o.delivery().ifPresent(t -> d.put("delivery", t));
        o.lastError().ifPresent(e -> d.put("error", e));
        return d;
    }
}
