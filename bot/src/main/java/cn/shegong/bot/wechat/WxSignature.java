package cn.shegong.bot.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * WeChat's signature: the lowercase hex SHA-1 of the given values sorted as plain strings and
 * concatenated. The URL signature signs token, timestamp and nonce; safe mode's msg_signature
 * adds the Encrypt value.
 */
public final class WxSignature {

    private WxSignature() {
    }

    public static String sign(String... values) {
        String[] sorted = values.clone();
        Arrays.sort(sorted);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return HexFormat.of().formatHex(sha1.digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    /** True when {@code signature} signs the values; compares in constant time; false on any missing value. */
    public static boolean matches(String signature, String... values) {
        if (signature == null || Arrays.stream(values).anyMatch(v -> v == null || v.isEmpty())) {
            return false;
        }
        return MessageDigest.isEqual(sign(values).getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
