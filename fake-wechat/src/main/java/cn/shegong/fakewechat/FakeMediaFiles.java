package cn.shegong.fakewechat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** What users "send": a small real JPEG for a photo, an AMR header and silence for a voice message. */
final class FakeMediaFiles {

    private FakeMediaFiles() {
    }

    static byte[] photo(long seed) {
        BufferedImage image = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(Color.HSBtoRGB((seed % 360) / 360f, 0.35f, 0.9f)));
        g.fillRect(0, 0, 160, 120);
        g.setColor(new Color(0x5a4632));
        g.fillRect(40, 50, 80, 50); // a house
        g.fillPolygon(new int[] {30, 80, 130}, new int[] {52, 20, 52}, 3);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] voice() {
        byte[] amr = new byte[6 + 32 * 50];
        System.arraycopy("#!AMR\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, amr, 0, 6);
        for (int frame = 0; frame < 50; frame++) {
            amr[6 + frame * 32] = 0x3C; // a 12.2 kbit/s frame header; the rest is silence
        }
        return amr;
    }
}
