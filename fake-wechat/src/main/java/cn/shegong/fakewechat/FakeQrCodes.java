package cn.shegong.fakewechat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;

/**
 * Parametric QR codes as WeChat makes them: {@code qrcode/create} gives a ticket and the URL the
 * code encodes; {@code showqrcode?ticket=} gives the image (a real, scannable PNG here). A scan
 * pushes the ticket's scene: SCAN to a follower, subscribe with {@code qrscene_} to anyone else.
 */
final class FakeQrCodes {

    private record Code(String scene, Instant expires) {
    }

    private static final int MAX_SCENE = 64;
    private static final int MAX_SECONDS = 2_592_000;

    private final Map<String, Code> tickets = new ConcurrentHashMap<>();
    private final Clock clock;

    FakeQrCodes(Clock clock) {
        this.clock = clock;
    }

    FakeWeChat.Answer create(Map<String, Object> json) {
        Object action = json.get("action_name");
        String scene = json.get("action_info") instanceof Map<?, ?> info && info.get("scene") instanceof Map<?, ?> s
                ? String.valueOf(s.get("scene_str") != null ? s.get("scene_str") : s.get("scene_id")) : null;
        boolean permanent = "QR_LIMIT_STR_SCENE".equals(action) || "QR_LIMIT_SCENE".equals(action);
        if (!permanent && !"QR_STR_SCENE".equals(action) && !"QR_SCENE".equals(action) || scene == null || scene.equals("null")) {
            return FakeWeChat.Answer.error(40097);
        }
        if (scene.length() > MAX_SCENE) {
            return FakeWeChat.Answer.error(40097);
        }
        String ticket = "gQFAKE" + UUID.randomUUID().toString().replace("-", "");
        if (permanent) { // a permanent code (a station's poster): no expiry, as WeChat gives them
            tickets.put(ticket, new Code(scene, Instant.MAX));
            return FakeWeChat.Answer.json(Map.of("ticket", ticket, "url", "http://weixin.qq.com/q/" + ticket));
        }
        int seconds = json.get("expire_seconds") instanceof Number n ? Math.min(n.intValue(), MAX_SECONDS) : 60;
        tickets.put(ticket, new Code(scene, clock.instant().plusSeconds(seconds)));
        return FakeWeChat.Answer.json(Map.of("ticket", ticket, "expire_seconds", seconds, "url", "http://weixin.qq.com/q/" + ticket));
    }

    FakeWeChat.Answer show(String ticket) {
        Code code = tickets.get(ticket == null ? "" : ticket);
        if (code == null) {
            return new FakeWeChat.Answer(404, "text/html", "<html>ticket not found</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8), Map.of());
        }
        return new FakeWeChat.Answer(200, "image/png", png("http://weixin.qq.com/q/" + ticket), Map.of());
    }

    /** The scene a scan of this ticket reports, while the code lives. */
    Optional<String> scene(String ticket) {
        return Optional.ofNullable(tickets.get(ticket)).filter(c -> clock.instant().isBefore(c.expires())).map(Code::scene);
    }

    private static byte[] png(String content) {
        try {
            BitMatrix m = new QRCodeWriter().encode(content, BarcodeFormat.QR_CODE, 240, 240);
            BufferedImage image = new BufferedImage(m.getWidth(), m.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int x = 0; x < m.getWidth(); x++) {
                for (int y = 0; y < m.getHeight(); y++) {
                    image.setRGB(x, y, m.get(x, y) ? 0x000000 : 0xFFFFFF);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (WriterException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
