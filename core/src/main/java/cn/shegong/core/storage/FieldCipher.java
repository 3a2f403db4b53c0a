package cn.shegong.core.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts sensitive fields (names, phones, what people wrote about their health and family)
 * before they reach MongoDB: AES-256-GCM with a random nonce per value, and an HMAC-SHA256
 * "blind index" so a phone number can be searched without being stored in clear. The key comes
 * from {@code SHEGONG_DATA_KEY} (Base64, 32 bytes); without it, a key is generated once into
 * {@code <data dir>/data.key} (readable by the owner only) — fine for the demo, not for production.
 */
public final class FieldCipher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "enc1:";

    private final SecretKeySpec key;
    private final SecretKeySpec indexKey;

    public FieldCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the data key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.indexKey = new SecretKeySpec(hmac(new SecretKeySpec(key, "HmacSHA256"), "blind-index"), "HmacSHA256");
    }

    public static FieldCipher open(Optional<String> base64Key, Path dataDir) {
        if (base64Key.isPresent()) {
            return new FieldCipher(Base64.getDecoder().decode(base64Key.get()));
        }
        Path file = dataDir.resolve("data.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(dataDir);
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
            }
            return new FieldCipher(Base64.getDecoder().decode(Files.readString(file).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    public String encrypt(String plain) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted field");
        }
        byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an encrypted field does not open with this key", e);
        }
    }

    /** Seals a file (a visit's photo or voice message): the nonce, then the ciphertext with its tag. */
    public byte[] sealBytes(byte[] plain) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JDK", e);
        }
    }

    public byte[] openBytes(byte[] sealed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 0, 12));
            return cipher.doFinal(sealed, 12, sealed.length - 12);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed file does not open with this key", e);
        }
    }

    /** The same value always gives the same index; the index reveals nothing without the key. */
    public String blindIndex(String value) {
        return HexFormat.of().formatHex(hmac(indexKey, value)).substring(0, 32);
    }

    private static byte[] hmac(SecretKeySpec key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
