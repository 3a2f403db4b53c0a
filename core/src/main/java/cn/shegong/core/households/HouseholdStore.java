package cn.shegong.core.households;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.types.ObjectId;

/**
 * Households under care. Members (names, ID numbers, phones, birth dates), the address and the plan
 * are sealed with the data key; a household is found by a keyed hash of its head's ID number
 * through {@code household_ids} ({@code _id} the hash), so a re-import matches without a scan and
 * without the number being stored. Saving the same facts twice changes nothing.
 */
public final class HouseholdStore {

    /** What is known of a household when it is entered or imported. */
    public record Facts(List<Household.Member> members, String townshipCode, String countyCode, String village, String address,
                        Map<String, LocalDate> categories, Household.Risk risk, String plan) {
    }

    public enum Outcome { CREATED, UPDATED, UNCHANGED }

    /** Filters of the household list; empty means any. {@code idNumber} finds one household by its head's ID number. */
    public record Query(Optional<String> county, Optional<String> township, Optional<String> category, Optional<Household.Risk> risk,
                        Optional<Household.Status> status, Optional<String> idNumber, int page, int size) {
    }

    /** A household as the list shows it: nothing sealed is opened, the head's name is masked (李*). */
    public record Row(String id, String maskedName, String townshipCode, String village, List<String> categories,
                      Household.Risk risk, Optional<String> workerId, Household.Status status, Optional<String> nextVisit) {
    }

    public record Page(long total, List<Row> items) {
    }

    /** A change in a household's history: when, what (created, updated, assigned, moved, exited, risk_raised …), by whom. */
    public record Change(Instant at, String what, String by) {
    }

    public record Saved(String id, Outcome outcome) {
    }

    private final MongoCollection<Document> households;
    private final MongoCollection<Document> byId;
    private final FieldCipher cipher;

    public HouseholdStore(MongoDatabase db, FieldCipher cipher) {
        this.households = db.getCollection("households");
        this.byId = db.getCollection("household_ids");
        this.cipher = cipher;
    }

    /** Creates the household, or updates the one whose head has the same ID number; unchanged facts change nothing. */
    public Saved save(Facts f, Instant now) {
        Optional<String> idNumber = f.members().get(0).idNumber();
        String fingerprint = cipher.blindIndex(fingerprintOf(f));
        Optional<Document> existing = idNumber.flatMap(n -> Optional.ofNullable(byId.find(Filters.eq("_id", index(n))).first()))
                .flatMap(p -> Optional.ofNullable(households.find(Filters.eq("_id", p.getObjectId("household"))).first()));
        if (existing.isPresent()) {
            Document d = existing.get();
            if (fingerprint.equals(d.getString("fingerprint"))) {
                return new Saved(d.getObjectId("_id").toHexString(), Outcome.UNCHANGED);
            }
            households.updateOne(Filters.eq("_id", d.getObjectId("_id")), Updates.combine(facts(f, fingerprint, now),
                    Updates.inc("version", 1), Updates.push("history", new Document("at", Date.from(now)).append("what", "updated"))));
            return new Saved(d.getObjectId("_id").toHexString(), Outcome.UPDATED);
        }
        ObjectId id = new ObjectId();
        Document d = new Document("_id", id).append("status", Household.Status.ACTIVE.name()).append("version", 0)
                .append("createdAt", Date.from(now)).append("history", List.of(new Document("at", Date.from(now)).append("what", "created")));
        households.insertOne(d);
        households.updateOne(Filters.eq("_id", id), facts(f, fingerprint, now));
        idNumber.ifPresent(n -> byId.replaceOne(Filters.eq("_id", index(n)), new Document("_id", index(n)).append("household", id),
                new com.mongodb.client.model.ReplaceOptions().upsert(true)));
        return new Saved(id.toHexString(), Outcome.CREATED);
    }

    /** Replaces what is known of a household (an edit in the console); its ID number's key follows the head's. */
    public void update(String id, Facts f, String by, Instant now) {
        Household before = find(id).orElseThrow();
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(facts(f, cipher.blindIndex(fingerprintOf(f)), now),
                Updates.inc("version", 1), Updates.push("history", change(now, "edited", by))));
        before.head().idNumber().filter(old -> !f.members().get(0).idNumber().equals(Optional.of(old)))
                .ifPresent(old -> byId.deleteOne(Filters.eq("_id", index(old))));
        f.members().get(0).idNumber().ifPresent(n -> byId.replaceOne(Filters.eq("_id", index(n)), new Document("_id", index(n))
                .append("household", new ObjectId(id)), new com.mongodb.client.model.ReplaceOptions().upsert(true)));
    }

    /** The ids of the active households a query matches, at most {@code limit} (a campaign's households). */
    public List<String> activeIds(Optional<String> county, Optional<String> township, Optional<String> category, int limit) {
        List<org.bson.conversions.Bson> and = new ArrayList<>(List.of(Filters.eq("status", Household.Status.ACTIVE.name())));
        county.ifPresent(c -> and.add(Filters.eq("countyCode", c)));
        township.ifPresent(t -> and.add(Filters.eq("townshipCode", t)));
        category.ifPresent(c -> and.add(Filters.exists("categories." + c)));
        List<String> out = new ArrayList<>();
        households.find(Filters.and(and)).projection(new Document("_id", 1)).limit(limit).forEach(d -> out.add(d.getObjectId("_id").toHexString()));
        return out;
    }

    public Optional<Household> find(String id) {
        return ObjectId.isValid(id) ? Optional.ofNullable(households.find(Filters.eq("_id", new ObjectId(id))).first()).map(this::household)
                : Optional.empty();
    }

    public Optional<Household> byIdNumber(String number) {
        return Optional.ofNullable(byId.find(Filters.eq("_id", index(number))).first())
                .flatMap(p -> find(p.getObjectId("household").toHexString()));
    }

    /** Gives the household to a worker; {@code what} says why in its history (assigned, moved). */
    public void assign(String id, String workerId, String what, String by, Instant now) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("workerId", workerId),
                Updates.inc("version", 1), Updates.push("history", change(now, what, by))));
    }

    /** The household's next visit by its policy; every visit it ever had is listed on it too, so its page reads them by key. */
    public void setNextVisit(String id, String visitCode) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), visitCode.isEmpty() ? Updates.set("nextVisit", "")
                : Updates.combine(Updates.set("nextVisit", visitCode), Updates.addToSet("visits", visitCode)));
    }

    /** An extra visit (a campaign's), listed on the household without replacing its next visit by policy. */
    public void addVisit(String id, String visitCode) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.addToSet("visits", visitCode));
    }

    /** Codes of every visit the household had, oldest first. */
    public List<String> visitCodes(String id) {
        Document d = households.find(Filters.eq("_id", new ObjectId(id))).projection(new Document("visits", 1)).first();
        return d == null ? List.of() : d.getList("visits", String.class, List.of());
    }

    public void setRisk(String id, Household.Risk risk, String by, Instant now) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("risk", risk.name()),
                Updates.inc("version", 1), Updates.push("history", change(now, "risk_" + risk.name().toLowerCase(), by))));
    }

    /** Enrols the household in one more category from {@code since} (a reviewer enrolling it in 低收入监测, say). */
    public void addCategory(String id, String code, LocalDate since, String by, Instant now) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("categories." + code, since.toString()),
                Updates.inc("version", 1), Updates.push("history", change(now, "enrolled_" + code, by))));
    }

    public List<Change> history(String id) {
        Document d = households.find(Filters.eq("_id", new ObjectId(id))).projection(new Document("history", 1)).first();
        return d == null ? List.of() : d.getList("history", Document.class, List.of()).stream()
                .map(h -> new Change(h.getDate("at").toInstant(), h.getString("what"), h.getString("by") == null ? "" : h.getString("by"))).toList();
    }

    /** One page of the list, newest first; what it reads stays unsealed (no member is decrypted). An ID number is looked up by key. */
    public Page list(Query q) {
        List<org.bson.conversions.Bson> and = conditions(q);
        if (q.idNumber().isPresent()) {
            Optional<Row> one = Optional.ofNullable(byId.find(Filters.eq("_id", index(q.idNumber().get()))).first())
                    .flatMap(p -> Optional.ofNullable(households.find(Filters.eq("_id", p.getObjectId("household"))).projection(LIST_FIELDS).first()))
                    .map(HouseholdStore::row).filter(r -> q.county().map(r.townshipCode()::startsWith).orElse(true)
                            && q.township().map(r.townshipCode()::equals).orElse(true) && q.category().map(r.categories()::contains).orElse(true)
                            && q.risk().map(r.risk()::equals).orElse(true) && q.status().map(r.status()::equals).orElse(true));
            return new Page(one.isPresent() ? 1 : 0, one.stream().toList());
        }
        org.bson.conversions.Bson filter = and.isEmpty() ? new Document() : Filters.and(and);
        List<Row> rows = new ArrayList<>();
        households.find(filter).projection(LIST_FIELDS).sort(new Document("_id", -1)).skip(q.page() * q.size()).limit(q.size())
                .forEach(d -> rows.add(row(d)));
        return new Page(and.isEmpty() ? households.estimatedDocumentCount() : households.countDocuments(filter), rows);
    }

    /** Every household the query matches (ID number and page ignored), opened one at a time: an export never holds them all. */
    public void each(Query q, java.util.function.Consumer<Household> each) {
        List<org.bson.conversions.Bson> and = conditions(q);
        households.find(and.isEmpty() ? new Document() : Filters.and(and)).sort(new Document("_id", -1)).batchSize(1000).forEach(d -> each.accept(household(d)));
    }

    private static List<org.bson.conversions.Bson> conditions(Query q) {
        List<org.bson.conversions.Bson> and = new ArrayList<>();
        q.county().ifPresent(c -> and.add(Filters.eq("countyCode", c)));
        q.township().ifPresent(t -> and.add(Filters.eq("townshipCode", t)));
        q.category().ifPresent(c -> and.add(Filters.exists("categories." + c)));
        q.risk().ifPresent(r -> and.add(Filters.eq("risk", r.name())));
        q.status().ifPresent(s -> and.add(Filters.eq("status", s.name())));
        return and;
    }

    private static final Document LIST_FIELDS = new Document("masked", 1).append("townshipCode", 1).append("village", 1)
            .append("categories", 1).append("risk", 1).append("workerId", 1).append("status", 1).append("nextVisit", 1);

    private static Row row(Document d) {
        return new Row(d.getObjectId("_id").toHexString(), d.getString("masked") == null ? "" : d.getString("masked"),
                d.getString("townshipCode"), d.getString("village"), new ArrayList<>(d.get("categories", new Document()).keySet()),
                Household.Risk.valueOf(d.getString("risk")), Optional.ofNullable(d.getString("workerId")),
                Household.Status.valueOf(d.getString("status")), Optional.ofNullable(d.getString("nextVisit")).filter(v -> !v.isEmpty()));
    }

    private static Document change(Instant now, String what, String by) {
        return new Document("at", Date.from(now)).append("what", what).append("by", by);
    }

    /** A name as roles without contact rights see it: the surname and a star. */
    public static String masked(String name) {
        return name.isEmpty() ? "" : name.charAt(0) + "*";
    }

    public void exit(String id, String reason, LocalDate on, String by, Instant now) {
        households.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("status", Household.Status.EXITED.name()),
                Updates.set("exitReason", cipher.encrypt(reason)), Updates.set("exitedOn", on.toString()), Updates.unset("nextVisit"),
                Updates.inc("version", 1), Updates.push("history", change(now, "exited", by))));
    }

    public long count() {
        return households.estimatedDocumentCount();
    }

    private String index(String idNumber) {
        return cipher.blindIndex("id:" + idNumber);
    }

    private org.bson.conversions.Bson facts(Facts f, String fingerprint, Instant now) {
        Document categories = new Document();
        f.categories().forEach((code, since) -> categories.append(code, since.toString()));
        return Updates.combine(Updates.set("members", cipher.encrypt(membersJson(f.members()))), Updates.set("townshipCode", f.townshipCode()),
                Updates.set("countyCode", f.countyCode()), Updates.set("village", f.village()),
                Updates.set("address", cipher.encrypt(f.address())), Updates.set("categories", categories),
                Updates.set("risk", f.risk().name()), Updates.set("plan", cipher.encrypt(f.plan())),
                Updates.set("masked", masked(f.members().get(0).name())), Updates.set("size", f.members().size()),
                Updates.set("fingerprint", fingerprint), Updates.set("updatedAt", Date.from(now)));
    }

    private Household household(Document d) {
        Map<String, LocalDate> categories = new LinkedHashMap<>();
        d.get("categories", new Document()).forEach((code, since) -> categories.put(code, LocalDate.parse(String.valueOf(since))));
        List<Household.Member> members = new ArrayList<>();
        for (Document m : Document.parse(cipher.decrypt(d.getString("members"))).getList("m", Document.class)) {
            members.add(new Household.Member(m.getString("name"), Optional.ofNullable(m.getString("id")),
                    Optional.ofNullable(m.getString("phone")), m.getString("relation"),
                    Optional.ofNullable(m.getString("born")).map(LocalDate::parse)));
        }
        return new Household(d.getObjectId("_id").toHexString(), members, d.getString("townshipCode"),
                d.getString("village"), cipher.decrypt(d.getString("address")), categories,
                Household.Risk.valueOf(d.getString("risk")), Optional.ofNullable(d.getString("workerId")),
                Household.Status.valueOf(d.getString("status")), Optional.ofNullable(d.getString("exitReason")).map(cipher::decrypt),
                Optional.ofNullable(d.getString("exitedOn")).map(LocalDate::parse), cipher.decrypt(d.getString("plan")),
                Optional.ofNullable(d.getString("nextVisit")), d.getInteger("version", 0));
    }

    private static String membersJson(List<Household.Member> members) {
        List<Document> list = new ArrayList<>();
        for (Household.Member m : members) {
            Document d = new Document("name", m.name()).append("relation", m.relation());
            m.idNumber().ifPresent(x -> d.append("id", x));
            m.phone().ifPresent(x -> d.append("phone", x));
            m.birthDate().ifPresent(x -> d.append("born", x.toString()));
            list.add(d);
        }
        return new Document("m", list).toJson();
    }

    /** Everything a save would write, in a stable form: the same facts give the same fingerprint. */
    private static String fingerprintOf(Facts f) {
        return membersJson(f.members()) + "|" + f.townshipCode() + "|" + f.village() + "|" + f.address() + "|"
                + new java.util.TreeMap<>(f.categories()) + "|" + f.risk() + "|" + f.plan();
    }
}
