package cn.shegong.bot.worker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.dialogue.Effect;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.core.staff.BindCodes;
import cn.shegong.core.staff.BindCodes.Redeemed;
import cn.shegong.core.staff.Worker;

/**
 * Binding a worker's WeChat with a one-time code — sent after the bind word or by scanning the code's
 * QR (scene {@code bind:CODE}) — and unbinding. Five wrong codes in an hour lock binding for that
 * WeChat for an hour, so codes cannot be guessed.
 */
final class Binding {

    static final String SCENE = "bind:";
    static final int TRIES = 5;
    static final Duration LOCK = Duration.ofHours(1);

    private final WorkerKit kit;

    Binding(WorkerKit kit) {
        this.kit = kit;
    }

    Step bind(String openid, String code) {
        if (failures(openid) >= TRIES) {
            return Step.answer(kit.say(BotText.BIND_LOCKED));
        }
        Redeemed r = BindCodes.plausible(code).map(c -> kit.codes().check(c, kit.now())).orElse(new Redeemed.Unknown());
        return switch (r) {
            case Redeemed.Valid v -> valid(openid, code, v.workerId());
            case Redeemed.Used u -> Step.answer(kit.say(BotText.BIND_USED));
            case Redeemed.Expired e -> Step.answer(kit.say(BotText.BIND_EXPIRED));
            case Redeemed.Unknown x -> Step.answer(kit.say(BotText.BIND_WRONG, Map.of("left", Math.max(0, TRIES - failures(openid) - 1))))
                    .with(Effect.write("bind.failure", () -> fail(openid)));
        };
    }

    Step unbind(Worker w) {
        return Step.answer(kit.say(BotText.WORKER_UNBOUND)).with(Effect.write("worker.unbind", () -> kit.staff().unbind(w.id())),
                Effect.write("audit", () -> kit.audit().record(kit.now(), w.name(), "unbind_wechat", w.id(), "wechat")));
    }

    private Step valid(String openid, String code, String workerId) {
        Optional<Worker> w = kit.staff().worker(workerId).filter(Worker::active);
        if (w.isEmpty()) {
            return Step.answer(kit.say(BotText.BIND_USED));
        }
        String station = kit.staff().station(w.get().stationCode()).map(s -> s.township()).orElse("");
        Optional<String> replaced = w.get().openid().filter(old -> !old.equals(openid));
        return Step.answer(kit.say(BotText.WORKER_BOUND, Map.of("name", w.get().name(), "station", station)))
                .with(Effect.guarded("bind.use", () -> kit.codes().use(code, openid, kit.now())),
                        Effect.write("worker.bind", () -> kit.staff().bind(workerId, openid, kit.now())),
                        Effect.write("audit", () -> kit.audit().record(kit.now(), w.get().name(), "bind_wechat", workerId, "wechat")),
                        Effect.send("notify.replaced", () -> replaced.ifPresent(old -> kit.outbox().sendText(old,
                                kit.texts().render(BotText.WORKER_REPLACED, Map.of("name", w.get().name()))))))
                .orIfLost(() -> kit.say(BotText.BIND_USED));
    }

    /** Wrong codes in the last hour (none counted while Redis is unreachable). */
    private long failures(String openid) {
        String n = kit.redis().orElse(() -> kit.redis().client().get(key(openid)), () -> null);
        return n == null ? 0 : Long.parseLong(n);
    }

    /** Counts a wrong code: the count lives an hour from the first, and the lock an hour from the last allowed try. */
    private void fail(String openid) {
        kit.redis().orElse(() -> kit.redis().client().eval(COUNT_FAILURE, List.of(key(openid)),
                List.of(Long.toString(LOCK.toSeconds()), Integer.toString(TRIES))), () -> 0L);
    }

    private static final String COUNT_FAILURE = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 or n == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return n""";

    private String key(String openid) {
        return kit.redis().key("bind-failures", openid);
    }
}
