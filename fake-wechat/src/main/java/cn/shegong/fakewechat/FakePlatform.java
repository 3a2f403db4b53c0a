package cn.shegong.fakewechat;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.fakewechat.WeChatPush.Delivery;
import cn.shegong.fakewechat.WeChatPush.Mode;

/**
 * WeChat as a whole, seen from users: what a person does in the app both reaches the fake API's
 * state (following, the 48-hour window) and is pushed to the service's webhook, signed and
 * encrypted as the account is configured. Template delivery reports flow back the same way.
 */
public final class FakePlatform {

    private final FakeWeChat api;
    private final WeChatPush push;
    private final Clock clock;
    private final Mode mode;
    /** What the demo's service lets the simulator do (run the morning sweeps now, say what waits in its outbox). */
    private final Map<String, java.util.function.Supplier<Map<String, Object>>> demoActions = new java.util.concurrent.ConcurrentHashMap<>();

    /** From the wall clock, so that ids stay unique across restarts of a demo (WeChat's MsgIds never repeat). */
    private final AtomicLong msgIds = new AtomicLong(System.currentTimeMillis() * 1_000);
    private final List<String> reported = new ArrayList<>();

    public FakePlatform(FakeWeChat api, WeChatPush push, Clock clock, Mode mode) {
        this.api = api;
        this.push = push;
        this.clock = clock;
        this.mode = mode;
        api.onTemplateReports((openid, msgId, status) -> {
            push.deliver(Pushes.templateFinished(openid, now(), msgId, status), mode);
            synchronized (reported) {
                reported.add(openid);
                reported.notifyAll();
            }
        });
    }

    public FakeWeChat api() {
        return api;
    }

    /** Follows the account, through a QR code when {@code scene} is given. */
    public Delivery follow(String openid, Optional<String> scene) {
        api.follow(openid);
        return push.deliver(Pushes.event(openid, now(), "subscribe", scene.map(s -> "qrscene_" + s).orElse(null)), mode);
    }

    public Delivery unfollow(String openid) {
        api.unfollow(openid);
        return push.deliver(Pushes.event(openid, now(), "unsubscribe", null), mode);
    }

    /** Types a text (following first if this person never did). */
    public Delivery says(String openid, String text) {
        api.follow(openid);
        return push.deliver(Pushes.text(openid, now(), msgIds.incrementAndGet(), text), mode);
    }

    /** Taps an option of a menu message the account sent: WeChat sends the label as text, with the option's id. */
    public Delivery taps(String openid, String label, String menuId) {
        api.interact(openid);
        return push.deliver(Pushes.tap(openid, now(), msgIds.incrementAndGet(), label, menuId), mode);
    }

    public Delivery sendsImage(String openid) {
        api.interact(openid);
        long msgId = msgIds.incrementAndGet();
        String mediaId = "FAKE_IMG_" + msgId;
        api.addMedia(mediaId, FakeMediaFiles.photo(msgId));
        return push.deliver(Pushes.image(openid, now(), msgId, mediaId), mode);
    }

    /** A voice message; {@code recognition} is what WeChat's speech-to-text made of it (null: nothing). */
    public Delivery speaks(String openid, String recognition) {
        api.interact(openid);
        long msgId = msgIds.incrementAndGet();
        api.addMedia("FAKE_VOICE_" + msgId, FakeMediaFiles.voice());
        return push.deliver(Pushes.voice(openid, now(), msgId, "FAKE_VOICE_" + msgId, recognition), mode);
    }

    /**
     * Scans a QR code's ticket: a follower's WeChat pushes SCAN with the scene, anyone else's
     * follows the account first (subscribe with {@code qrscene_}). Empty for an unknown or expired ticket.
     */
    public Optional<Delivery> scans(String openid, String ticket) {
        Optional<String> scene = api.qrScene(ticket);
        if (scene.isEmpty()) {
            return Optional.empty();
        }
        if (!api.follows(openid)) {
            return Optional.of(follow(openid, scene));
        }
        api.interact(openid);
        return Optional.of(push.deliver(Pushes.event(openid, now(), "SCAN", scene.get()), mode));
    }

    public Delivery sharesLocation(String openid, double lat, double lng, String label) {
        api.interact(openid);
        return push.deliver(Pushes.location(openid, now(), msgIds.incrementAndGet(), lat, lng, label), mode);
    }

    public Delivery clicks(String openid, String key) {
        api.interact(openid);
        return push.deliver(Pushes.event(openid, now(), "CLICK", key), mode);
    }

    /** Any push, after the user's interaction is noted. */
    public Delivery pushes(String openid, String xml) {
        api.interact(openid);
        return push.deliver(xml, mode);
    }

    /** Makes {@code mediaId} downloadable from media/get, as WeChat does for what users send: a photo, or a voice message. */
    public void holdsMedia(String mediaId, boolean voice) {
        api.addMedia(mediaId, voice ? FakeMediaFiles.voice() : FakeMediaFiles.photo(mediaId.hashCode()));
    }

    public long nextMsgId() {
        return msgIds.incrementAndGet();
    }

    /** Waits until WeChat's template delivery report for {@code openid} has been pushed (and answered). */
    public boolean awaitReport(String openid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (reported) {
            while (!reported.contains(openid) && System.nanoTime() < deadline) {
                reported.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
            return reported.contains(openid);
        }
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    /** Lets the simulator trigger {@code name} on the service (demo only; wired explicitly by the demo). */
    public void onDemoAction(String name, java.util.function.Supplier<Map<String, Object>> action) {
        demoActions.put(name, action);
    }

    Optional<Map<String, Object>> demoAction(String name) {
        return Optional.ofNullable(demoActions.get(name)).map(java.util.function.Supplier::get);
    }
}
