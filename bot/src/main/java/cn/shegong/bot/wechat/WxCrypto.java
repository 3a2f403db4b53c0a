package cn.shegong.bot.wechat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message encryption for safe and compatible mode (shared/wechat.md §3): AES-256-CBC with
 * the key from EncodingAESKey, IV = the key's first 16 bytes, PKCS#7 padding to 32-byte blocks,
 * plaintext = 16 random bytes ‖ length (4 bytes, big-endian) ‖ message ‖ appid. Unlike WxJava we
 * check the appid inside every message and compare signatures in constant time.
 */
public final class WxCrypto {

    private static final int BLOCK = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String appId;
    private final SecretKeySpec key;
    private final IvParameterSpec iv;

    public WxCrypto(String token, String encodingAesKey, String appId) {
        byte[] raw = Base64.getDecoder().decode(encodingAesKey + "=");
        if (raw.length != 32) {
            throw new IllegalArgumentException("EncodingAESKey must decode to 32 bytes");
        }
        this.token = token;
        this.appId = appId;
        this.key = new SecretKeySpec(raw, "AES");
        this.iv = new IvParameterSpec(Arrays.copyOf(raw, 16));
    }

    /** Verifies {@code msg_signature} over the Encrypt value, decrypts it, checks the appid inside. */
    public String decrypt(String msgSignature, String timestamp, String nonce, String encrypt) {
        if (!WxSignature.matches(msgSignature, token, timestamp, nonce, encrypt)) {
            throw new WebhookRejectedException(403, "bad_signature", "msg_signature does not match");
        }
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, iv);
            plain = cipher.doFinal(Base64.getDecoder().decode(encrypt));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new MalformedXmlException("Encrypt cannot be decrypted");
        }
        int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || plain.length < 20 + pad) {
            throw new MalformedXmlException("Encrypt has bad padding");
        }
        int end = plain.length - pad;
        int length = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (length < 0 || 20 + length > end) {
            throw new MalformedXmlException("Encrypt has a bad length");
        }
        String message = new String(plain, 20, length, StandardCharsets.UTF_8);
        byte[] from = Arrays.copyOfRange(plain, 20 + length, end);
        if (!MessageDigest.isEqual(from, appId.getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookRejectedException(403, "wrong_appid", "message is for another account");
        }
        return message;
    }

    /** A safe-mode reply body: the encrypted message, its signature, the timestamp and nonce. */
    public String encryptReply(String message, String timestamp, String nonce) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String encrypt = encrypt(random, message);
        return "<xml><Encrypt>" + WxXml.cdata(encrypt) + "</Encrypt>"
                + "<MsgSignature>" + WxXml.cdata(WxSignature.sign(token, timestamp, nonce, encrypt)) + "</MsgSignature>"
                + "<TimeStamp>" + timestamp + "</TimeStamp>"
                + "<Nonce>" + WxXml.cdata(nonce) + "</Nonce></xml>";
    }

    /** The Base64 Encrypt value for {@code message} with the given 16 random bytes (deterministic, for vectors). */
    public String encrypt(byte[] random16, String message) {
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = appId.getBytes(StandardCharsets.UTF_8);
        int unpadded = 16 + 4 + msg.length + id.length;
        int pad = BLOCK - (unpadded % BLOCK);
        ByteBuffer buf = ByteBuffer.allocate(unpadded + pad);
        buf.put(random16, 0, 16).putInt(msg.length).put(msg).put(id);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) pad);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, iv);
            return Base64.getEncoder().encodeToString(cipher.doFinal(buf.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CBC is part of every JDK", e);
        }
    }
}
