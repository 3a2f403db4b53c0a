package cn.shegong.bot.outbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.outbox.OutboxItem.Status;
import cn.shegong.core.outbox.OutboxStore;
import cn.shegong.core.resident.Resident;
import cn.shegong.core.resident.ResidentStore;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;

/**
 * One claimed item down the {@link Outbox}'s delivery ladder: a menu to someone who just wrote; a
 * text inside the 48-hour window; else the item's template; else undeliverable. A failure is
 * retried with backoff, or settles the item, by its {@link SendFailure.Kind}.
 */
final class Delivery {

    static final int MAX_ATTEMPTS = 6;
    private static final Logger LOG = Logger.getLogger(Delivery.class.getName());

    private final OutboxStore store;
    private final ResidentStore residents;
    private final WeChatApi api;
    private final TemplateBindings templates;
    private final SendRate rate;
    private final Clock clock;
    private final MeterRegistry registry;

    Delivery(OutboxStore store, ResidentStore residents, WeChatApi api, TemplateBindings templates, SendRate rate, Clock clock,
             MeterRegistry registry) {
        this.store = store;
        this.residents = residents;
        this.api = api;
        this.templates = templates;
        this.rate = rate;
        this.clock = clock;
        this.registry = registry;
    }

    /** Sends one claimed item, or settles why it cannot be sent. */
    void deliver(OutboxItem item) {
        Instant now = clock.instant();
        if (item.menu().isPresent() && now.isAfter(item.createdAt().plus(Outbox.MENU_FRESH))) {
            store.dropMenu(item.id()); // claimed just as it went stale, or taken over from a replica that died sending it
            count("stale_menu");
            return;
        }
        if (!rate.take(now)) { // another replica took this second's last sends first
            store.defer(item.id(), now.plusSeconds(1));
            return;
        }
        if (item.menu().isPresent()) { // options for a message of at most MENU_FRESH ago: its sender is within the window, no read of them
            try {
                api.sendMenu(item.openid(), item.menu().get());
                sent(item, "customer", Optional.empty());
            } catch (SendFailure f) {
                failed(item, f, now);
            }
            return;
        }
        Optional<Resident> resident = residents.find(item.openid());
        if (resident.isPresent() && resident.get().status() == Resident.Status.UNSUBSCRIBED) {
            finish(item, Status.UNREACHABLE, "not following the account");
            return;
        }
        // Someone we have never heard from (a worker, say) may still follow the account: no known
        // window, so a template; WeChat answers 43004/40003 if they cannot receive it.
        boolean windowOpen = resident.map(r -> r.windowOpen(now)).orElse(false);
        try {
            if (item.text().isPresent() && windowOpen) {
                try {
                    api.sendText(item.openid(), item.text().get());
                    sent(item, "customer", Optional.empty());
                    return;
                } catch (SendFailure f) {
                    if (f.kind() != SendFailure.Kind.WINDOW_CLOSED) {
                        throw f;
                    }
                }
            }
            if (item.notice().isEmpty()) {
                finish(item, Status.UNDELIVERABLE, "outside the 48-hour window and no template to fall back on");
                return;
            }
            OutboxItem.Notice notice = item.notice().get();
            long msgId = api.sendTemplate(item.openid(), templates.render(notice.kind(), notice.values()), item.id());
            sent(item, "template", Optional.of(msgId));
        } catch (SendFailure f) {
            failed(item, f, now);
        }
    }

    private void failed(OutboxItem item, SendFailure f, Instant now) {
        String error = f.getMessage();
        registry.getOrCreate(Counter.builder("shegong.outbox.failures").tags(List.of(Tag.create("errcode", Integer.toString(f.errcode()))))
                .description("WeChat send calls that failed, by errcode (-1: network, timeout or HTTP error)")).increment();
        switch (f.kind()) {
            case UNREACHABLE -> {
                finish(item, Status.UNREACHABLE, error);
                if (f.errcode() == 43004) {
                    residents.unsubscribe(item.openid(), now);
                }
            }
            case REFUSED, WINDOW_CLOSED -> finish(item, Status.FAILED, error);
            case RETRY, QUOTA -> {
                if (item.attempts() >= MAX_ATTEMPTS) {
                    finish(item, Status.FAILED, "gave up after " + item.attempts() + " attempts: " + error);
                } else {
                    store.retry(item.id(), now.plus(backoff(f.kind(), item.attempts())), error);
                    count("retry");
                }
            }
        }
    }

    /** 5 s, 10 s, 20 s … (cap 10 min); quota errors start at a minute (cap 1 h). */
    static Duration backoff(SendFailure.Kind kind, int attempts) {
        Duration base = kind == SendFailure.Kind.QUOTA ? Duration.ofMinutes(1) : Duration.ofSeconds(5);
        Duration cap = kind == SendFailure.Kind.QUOTA ? Duration.ofHours(1) : Duration.ofMinutes(10);
        Duration delay = base.multipliedBy(1L << Math.min(20, Math.max(0, attempts - 1)));
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    private void sent(OutboxItem item, String as, Optional<Long> templateMsgId) {
        store.sent(item.id(), as, templateMsgId, clock.instant());
        count("sent_" + as);
    }

    private void finish(OutboxItem item, Status status, String error) {
        store.finish(item.id(), status, error);
        count(status.name().toLowerCase(java.util.Locale.ROOT));
        LOG.info(() -> "outbox item " + item.id() + " " + status + ": " + error);
    }

    private void count(String result) {
        count(result, 1);
    }

    /** {@code shegong_outbox_total{result}}: how each item ended, or was retried. */
    void count(String result, long n) {
        registry.getOrCreate(Counter.builder("shegong.outbox").tags(List.of(Tag.create("result", result)))
                .description("Outbox deliveries by result")).increment(n);
    }
}
