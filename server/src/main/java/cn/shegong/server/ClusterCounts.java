package cn.shegong.server;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import cn.shegong.bot.visits.VisitSweep;
import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.fakewechat.RecordedCall;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;

/**
 * What the replicas wrote to the shared store and sent to the fake WeChat, counted the way an
 * auditor would: each push's MsgId stored once, each resident's cases, each outbox item and each
 * successful send call, each visit reminder claimed and sent, each access-token fetch.
 */
record ClusterCounts(int storedMessages, int storedTwice, Map<Integer, Integer> residentsByCases, int outboxSent,
                     int outboxWaiting, int sendCalls, int remindersClaimed, int reminderNotices,
                     int remindersSent, int tokenFetches) {

    static final String OPENID_PREFIX = "o-cluster-";
    static final Set<String> SENDS = Set.of("/cgi-bin/message/custom/send", "/cgi-bin/message/template/send");
    static final Set<String> TOKENS = Set.of("/cgi-bin/token", "/cgi-bin/stable_token");

    static ClusterCounts read(MongoDatabase db, List<RecordedCall> calls, Set<String> residents, LocalDate today) {
        Map<Long, Integer> byMsgId = storedByMsgId(db);
        Map<String, Integer> casesByResident = new HashMap<>();
        residents.forEach(r -> casesByResident.put(r, 0));
        db.getCollection("cases").find(Filters.regex("openid", "^" + OPENID_PREFIX)).projection(new Document("openid", 1))
                .forEach(d -> casesByResident.merge(d.getString("openid"), 1, Integer::sum));
        Map<Integer, Integer> residentsByCases = new TreeMap<>();
        casesByResident.values().forEach(n -> residentsByCases.merge(n, 1, Integer::sum));

        int sent = outboxItems(db, Filters.eq("status", OutboxItem.Status.SENT.name()));
        int waiting = outboxItems(db, Filters.in("status", OutboxItem.Status.PENDING.name(), OutboxItem.Status.SENDING.name()));
        int reminderNotices = outboxItems(db, Filters.eq("notice.kind", VisitSweep.VISIT_DUE));
        int remindersSent = outboxItems(db, Filters.and(Filters.eq("notice.kind", VisitSweep.VISIT_DUE),
                Filters.eq("status", OutboxItem.Status.SENT.name())));
        int claimed = (int) db.getCollection("visit_claims").countDocuments(Filters.and(Filters.regex("_id", "^R:"),
                Filters.eq("day", today.toString())));

        int sends = (int) calls.stream().filter(c -> SENDS.contains(c.path()) && c.errcode() == 0).count();
        int tokens = (int) calls.stream().filter(c -> TOKENS.contains(c.path())).count();
        return new ClusterCounts(byMsgId.size(), (int) byMsgId.values().stream().filter(n -> n > 1).count(), residentsByCases,
                sent, waiting, sends, claimed, reminderNotices, remindersSent, tokens);
    }

    /** Outbox items matching, waiting or finished (an item a killed replica left half-moved is in both: counted once). */
    private static int outboxItems(MongoDatabase db, org.bson.conversions.Bson filter) {
        Set<Object> ids = new java.util.HashSet<>();
        for (String collection : List.of("outbox", "outbox_done")) {
            db.getCollection(collection).find(filter).projection(new Document("_id", 1)).forEach(d -> ids.add(d.get("_id")));
        }
        return ids.size();
    }

    /** Successful send calls beyond the items marked sent: an item sent again after its sender died before marking it. */
    int sentTwice() {
        return sendCalls - outboxSent;
    }

    /** How many times each of the check's residents' MsgIds is stored. */
    static Map<Long, Integer> storedByMsgId(MongoDatabase db) {
        Map<Long, Integer> byMsgId = new HashMap<>();
        db.getCollection("messages").find(Filters.and(Filters.eq("direction", "IN"), Filters.regex("openid", "^" + OPENID_PREFIX)))
                .projection(new Document("msgId", 1)).forEach(d -> byMsgId.merge(d.getLong("msgId"), 1, Integer::sum));
        return byMsgId;
    }

    /** MsgIds answered to WeChat but not in the store, in order. */
    static List<Long> lost(MongoDatabase db, Set<Long> answered) {
        return lost(storedByMsgId(db), answered);
    }

    static List<Long> lost(Map<Long, Integer> stored, Set<Long> answered) {
        return answered.stream().filter(id -> !stored.containsKey(id)).sorted().toList();
    }
}
