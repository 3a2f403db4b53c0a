package cn.shegong.fakewechat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Temporary media as WeChat keeps them: uploaded by the account or sent by users, downloadable
 * with {@code media/get} for 3 days (then 40007, as for an unknown id), with the file name in
 * {@code Content-disposition}.
 */
final class FakeMedia {

    static final Duration LIFETIME = Duration.ofDays(3);

    private record Held(byte[] bytes, Instant at) {
    }

    private final Map<String, Held> media = new ConcurrentHashMap<>();
    private final Clock clock;

    FakeMedia(Clock clock) {
        this.clock = clock;
    }

    void add(String mediaId, byte[] bytes) {
        media.put(mediaId, new Held(bytes, clock.instant()));
    }

    FakeWeChat.Answer upload(Map<String, String> query, byte[] body, String contentType, String id) {
        byte[] file = Multipart.firstPart(body, contentType).orElse(null);
        if (file == null || file.length == 0) {
            return FakeWeChat.Answer.error(44002);
        }
        add(id, file);
        return FakeWeChat.Answer.json(Map.of("type", query.getOrDefault("type", "image"), "media_id", id,
                "created_at", clock.instant().getEpochSecond()));
    }

    FakeWeChat.Answer get(String id) {
        Held held = media.get(id);
        if (held == null || !clock.instant().isBefore(held.at().plus(LIFETIME))) {
            return FakeWeChat.Answer.error(40007);
        }
        byte[] bytes = held.bytes();
        boolean voice = bytes.length > 5 && new String(bytes, 0, 5, StandardCharsets.US_ASCII).equals("#!AMR");
        String name = id + (voice ? ".amr" : ".jpg");
        return new FakeWeChat.Answer(200, voice ? "audio/amr" : "image/jpeg", bytes,
                Map.of("Content-disposition", "attachment; filename=\"" + name + "\""));
    }
}
