package cn.shegong.core.staff;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * One-time codes that bind a worker's WeChat to their staff record: made by an admin, valid for
 * 72 hours, good once; a worker has at most one live code (a new one, or a use, ends the others).
 * Codes avoid letters and digits that look alike (0/O, 1/I/L), so they can be read off paper and
 * typed on a phone. Stored only as a keyed hash: the collection does not hold usable codes.
 */
public final class BindCodes {

    public static final Duration LIFETIME = Duration.ofHours(72);
    private static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private static final int LENGTH = 6;

    /** What a code turned out to be. */
    public sealed interface Redeemed {
        record Valid(String workerId) implements Redeemed { }
        record Unknown() implements Redeemed { }
        record Used() implements Redeemed { }
        record Expired() implements Redeemed { }
    }

    private final MongoCollection<Document> codes;
    private final FieldCipher cipher;
    private final SecureRandom random = new SecureRandom();

    public BindCodes(MongoDatabase db, FieldCipher cipher) {
        this.codes = db.getCollection("bind_codes");
        this.cipher = cipher;
    }

    /** A fresh code for the worker; any earlier unused code of theirs stops working, and long-expired ones are dropped. */
    public String create(String workerId, Instant now) {
        codes.deleteMany(Filters.or(Filters.eq("workerId", workerId), Filters.lt("expiresAt", Date.from(now.minus(LIFETIME)))));
        for (int attempt = 1; ; attempt++) {
            String code = fresh();
            try {
                codes.insertOne(new Document("_id", hash(code)).append("workerId", workerId).append("createdAt", Date.from(now))
                        .append("expiresAt", Date.from(now.plus(LIFETIME))));
                return code;
            } catch (MongoWriteException e) {
                if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** What the code is now, without using it. */
    public Redeemed check(String code, Instant now) {
        Document d = codes.find(Filters.eq("_id", hash(code))).first();
        if (d == null) {
            return new Redeemed.Unknown();
        }
        if (d.containsKey("usedAt")) {
            return new Redeemed.Used();
        }
        if (!now.isBefore(d.getDate("expiresAt").toInstant())) {
            return new Redeemed.Expired();
        }
        return new Redeemed.Valid(d.getString("workerId"));
    }

    /** Uses the code up (and ends the worker's other codes); of two concurrent uses only one gets true. */
    public boolean use(String code, String openid, Instant now) {
        String id = hash(code);
        Document d = codes.find(Filters.eq("_id", id)).first();
        boolean won = d != null && codes.updateOne(Filters.and(Filters.eq("_id", id), Filters.exists("usedAt", false)),
                Updates.combine(Updates.set("usedAt", Date.from(now)), Updates.set("usedBy", cipher.blindIndex(openid)))).getModifiedCount() == 1;
        if (won) {
            codes.deleteMany(Filters.and(Filters.eq("workerId", d.getString("workerId")), Filters.ne("_id", id)));
        }
        return won;
    }

    private String hash(String code) {
        return cipher.blindIndex("bind:" + normalize(code));
    }

    /** Upper case, full-width letters and digits folded, spaces and dashes dropped. */
    public static String normalize(String code) {
        return java.text.Normalizer.normalize(code, java.text.Normalizer.Form.NFKC).toUpperCase(java.util.Locale.ROOT)
                .replaceAll("[\\s\\-_]", "");
    }

    public static Optional<String> plausible(String text) {
        String n = normalize(text);
        return n.matches("[A-Z0-9]{" + LENGTH + "}") ? Optional.of(n) : Optional.empty();
    }

    private String fresh() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }
}
