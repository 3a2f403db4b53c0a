package cn.shegong.core.casework;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import cn.shegong.core.storage.FieldCipher;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The console's searches over cases, on the same collection as {@link CaseStore}: the inbox's page
 * (urgent first, then newest) and every match one at a time for an export.
 */
public final class CaseSearch {

    /**
     * Documents a server reply may carry while an export streams: without it, the embedded store
     * answers a sorted find of 100,000 cases in one 56 MB reply, over the driver's 48 MB limit.
     */
    private static final int BATCH = 1000;

    private final MongoCollection<Document> cases;
    private final CaseDocuments docs;
    private final FieldCipher cipher;

    CaseSearch(MongoCollection<Document> cases, CaseDocuments docs, FieldCipher cipher) {
        this.cases = cases;
        this.docs = docs;
        this.cipher = cipher;
    }

    /** A search of the inbox: scope (county, township), filters, a page. Empty means "any". */
    public record Query(Optional<String> county, Optional<String> township, List<Case.Status> statuses,
                        Optional<Category> category, Optional<Boolean> urgent, Optional<String> number,
                        Optional<String> phone, Optional<Instant> from, Optional<Instant> to, Optional<String> assigneeId,
                        Optional<Only> only, int page, int size) {
    }

    /** The dashboard's cards as filters: requests that missed a deadline, requests no worker has yet. */
    public enum Only { OVERDUE, WAITING }

    public record Page(List<Case> items, long total) {
    }

    /** Urgent first, then newest; by an exact case number or phone (through its blind index). */
    public Page search(Query q) {
        Bson filter = filter(q);
        List<Case> items = new ArrayList<>();
        cases.find(filter).sort(Sorts.orderBy(Sorts.descending("urgent"), Sorts.descending("createdAt")))
                .skip(q.page() * q.size()).limit(q.size()).forEach(d -> items.add(docs.toCase(d)));
        return new Page(items, cases.countDocuments(filter));
    }

    /** Every case the query matches (its page ignored), newest first, one at a time: an export never holds them all. */
    public void each(Query q, Consumer<Case> each) {
        cases.find(filter(q)).sort(Sorts.descending("createdAt")).batchSize(BATCH).forEach(d -> each.accept(docs.toCase(d)));
    }

    private Bson filter(Query q) {
        List<Bson> filters = new ArrayList<>();
        q.county().ifPresent(c -> filters.add(Filters.eq("countyCode", c)));
        q.township().ifPresent(t -> filters.add(Filters.eq("townshipCode", t)));
        if (!q.statuses().isEmpty()) {
            filters.add(Filters.in("status", q.statuses().stream().map(Enum::name).toList()));
        }
        q.category().ifPresent(c -> filters.add(Filters.eq("category", c.code())));
        q.urgent().ifPresent(u -> filters.add(Filters.eq("urgent", u)));
        q.number().ifPresent(n -> filters.add(Filters.eq("number", n)));
        q.phone().ifPresent(p -> filters.add(Filters.eq("phoneIndex", cipher.blindIndex(p))));
        q.from().ifPresent(f -> filters.add(Filters.gte("createdAt", Date.from(f))));
        q.to().ifPresent(t -> filters.add(Filters.lt("createdAt", Date.from(t))));
        q.assigneeId().ifPresent(a -> filters.add(Filters.eq("assigneeId", a)));
        q.only().ifPresent(o -> filters.add(o == Only.OVERDUE ? Filters.eq("timeline.kind", "deadline_missed")
                : Filters.eq("assigneeId", null)));
        return filters.isEmpty() ? new Document() : Filters.and(filters);
    }
}
