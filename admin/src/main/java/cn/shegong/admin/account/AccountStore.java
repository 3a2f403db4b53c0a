package cn.shegong.admin.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Console accounts: bcrypt password hashes (cost 12), locked for 15 minutes after 5 failed logins,
 * and a forced password change for accounts whose password someone else chose.
 */
public final class AccountStore {

    public static final int MAX_FAILED = 5;
    public static final Duration LOCK = Duration.ofMinutes(15);

    private final MongoCollection<Document> accounts;

    public AccountStore(MongoDatabase db) {
        this.accounts = db.getCollection("admins");
    }

    public void ensureIndexes() {
        accounts.createIndex(Indexes.ascending("username"), new IndexOptions().name("username").unique(true));
    }

    /** Creates an account; false if the username is taken. */
    public boolean create(String username, String password, Role role, String areaCode, boolean mustChangePassword, Instant now) {
        try {
            accounts.insertOne(new Document("_id", new ObjectId()).append("username", username)
                    .append("hash", hash(password)).append("role", role.name()).append("areaCode", areaCode)
                    .append("failedLogins", 0).append("mustChangePassword", mustChangePassword).append("createdAt", Date.from(now)));
            return true;
        } catch (MongoWriteException e) {
            if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return false;
            }
            throw e;
        }
    }

    public boolean exists(Role role) {
        return accounts.find(Filters.eq("role", role.name())).first() != null;
    }

    /** The outcome of a login attempt. */
    public sealed interface Login {
        record Ok(Account account) implements Login { }
        record Wrong() implements Login { }
        record Locked(Instant until) implements Login { }
    }

    public Login login(String username, String password, Instant now) {
        Document d = accounts.find(Filters.eq("username", username)).first();
        if (d == null) {
            Passwords.spendAsLongAsACheck(password); // no username probing
            return new Login.Wrong();
        }
        Date locked = d.getDate("lockedUntil");
        if (locked != null && locked.toInstant().isAfter(now)) {
            return new Login.Locked(locked.toInstant());
        }
        if (Passwords.matches(password, d.getString("hash"))) {
            accounts.updateOne(Filters.eq("_id", d.getObjectId("_id")),
                    Updates.combine(Updates.set("failedLogins", 0), Updates.unset("lockedUntil")));
            return new Login.Ok(find(d.getObjectId("_id").toHexString()).orElseThrow());
        }
        int failed = (locked != null ? 0 : d.getInteger("failedLogins", 0)) + 1;
        var update = failed >= MAX_FAILED
                ? Updates.combine(Updates.set("failedLogins", 0), Updates.set("lockedUntil", Date.from(now.plus(LOCK))))
                : Updates.combine(Updates.set("failedLogins", failed), Updates.unset("lockedUntil"));
        accounts.updateOne(Filters.eq("_id", d.getObjectId("_id")), update);
        return failed >= MAX_FAILED ? new Login.Locked(now.plus(LOCK)) : new Login.Wrong();
    }

    public void changePassword(String id, String newPassword) {
        accounts.updateOne(Filters.eq("_id", new ObjectId(id)),
                Updates.combine(Updates.set("hash", hash(newPassword)), Updates.set("mustChangePassword", false)));
    }

    public boolean verify(String id, String password) {
        Document d = accounts.find(Filters.eq("_id", new ObjectId(id))).first();
        return d != null && Passwords.matches(password, d.getString("hash"));
    }

    public Optional<Account> find(String id) {
        return Optional.ofNullable(accounts.find(Filters.eq("_id", new ObjectId(id))).first()).map(d -> new Account(
                d.getObjectId("_id").toHexString(), d.getString("username"), Role.valueOf(d.getString("role")),
                d.getString("areaCode"), d.getInteger("failedLogins", 0),
                Optional.ofNullable(d.getDate("lockedUntil")).map(Date::toInstant), d.getBoolean("mustChangePassword", false)));
    }

    private static String hash(String password) {
        return Passwords.hash(password);
    }
}
