package cn.shegong.admin.account;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
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
 * Console accounts: bcrypt password hashes (cost 12), the last five kept to refuse their reuse, the
 * time of the last change (passwords expire after 90 days), and a forced password change for
 * accounts whose password someone else chose. Guessing is limited by the API's login guard.
 */
public final class AccountStore {

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
                    .append("mustChangePassword", mustChangePassword).append("createdAt", Date.from(now))
                    .append("passwordChangedAt", Date.from(now)));
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

    /** The account if the password is right; the same time spent whether or not the username exists. */
    public Optional<Account> login(String username, String password) {
        Document d = accounts.find(Filters.eq("username", username)).first();
        if (d == null) {
            Passwords.spendAsLongAsACheck(password); // no username probing
            return Optional.empty();
        }
        return Passwords.matches(password, d.getString("hash")) ? Optional.of(account(d)) : Optional.empty();
    }

    /** Outcomes of a password change. */
    public enum Change { CHANGED, REUSED }

    /** Sets a new password unless it is one of the last {@value PasswordPolicy#REMEMBERED}; the policy is checked by the caller. */
    public Change changePassword(String id, String newPassword, Instant now) {
        Document d = accounts.find(Filters.eq("_id", new ObjectId(id))).first();
        List<String> recent = new ArrayList<>(d.getList("previousHashes", String.class, List.of()));
        recent.add(0, d.getString("hash"));
        if (recent.stream().anyMatch(h -> Passwords.matches(newPassword, h))) {
            return Change.REUSED;
        }
        accounts.updateOne(Filters.eq("_id", d.getObjectId("_id")), Updates.combine(Updates.set("hash", hash(newPassword)),
                Updates.set("previousHashes", recent.subList(0, Math.min(recent.size(), PasswordPolicy.REMEMBERED - 1))),
                Updates.set("mustChangePassword", false), Updates.set("passwordChangedAt", Date.from(now))));
        return Change.CHANGED;
    }

    public boolean verify(String id, String password) {
        Document d = accounts.find(Filters.eq("_id", new ObjectId(id))).first();
        return d != null && Passwords.matches(password, d.getString("hash"));
    }

    public Optional<Account> find(String id) {
        return Optional.ofNullable(accounts.find(Filters.eq("_id", new ObjectId(id))).first()).map(AccountStore::account);
    }

    private static Account account(Document d) {
        Date changed = d.getDate("passwordChangedAt") != null ? d.getDate("passwordChangedAt") : d.getDate("createdAt");
        return new Account(d.getObjectId("_id").toHexString(), d.getString("username"), Role.valueOf(d.getString("role")),
                d.getString("areaCode"), d.getBoolean("mustChangePassword", false), changed == null ? Instant.EPOCH : changed.toInstant());
    }

    private static String hash(String password) {
        return Passwords.hash(password);
    }
}
