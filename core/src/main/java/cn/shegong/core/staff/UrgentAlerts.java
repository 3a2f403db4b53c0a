package cn.shegong.core.staff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Urgent alerts waiting for a person to say they saw them ({@code urgent_alerts}, {@code _id} the
 * case id): who was told, at which level (1 on duty at the station, 2 its head, 3 the county on
 * duty, 4 the city on duty), when, and who acknowledged. Going up a level is claimed atomically, so
 * replicas escalate once.
 */
public final class UrgentAlerts {

    public static final int TOP = 4;

    public record Alert(String caseId, int level, Instant at, List<String> sentTo, Optional<String> ackedBy) {
    }

    private final MongoCollection<Document> alerts;

    public UrgentAlerts(MongoDatabase db) {
        this.alerts = db.getCollection("urgent_alerts");
    }

    /** An alert went out at {@code level} to these openids; an alert already open for the case is kept as it is. */
    public void open(String caseId, int level, List<String> openids, Instant now) {
        try {
            alerts.insertOne(new Document("_id", caseId).append("level", level).append("at", Date.from(now)).append("sentTo", openids)
                    .append("acked", false));
        } catch (com.mongodb.MongoWriteException e) {
            // the case was alerted already (an urgent message on a case opened urgent)
        }
    }

    /** Someone saw it (a worker replying 收到, staff in the console); false when it was already acknowledged. */
    public boolean ack(String caseId, String by, Instant now) {
        return alerts.updateOne(Filters.and(Filters.eq("_id", caseId), Filters.eq("acked", false)), Updates.combine(
                Updates.set("acked", true), Updates.set("ackedBy", by), Updates.set("ackedAt", Date.from(now)))).getModifiedCount() == 1;
    }

    /** The newest unacknowledged alert sent to this openid. */
    public Optional<Alert> waitingFor(String openid) {
        return Optional.ofNullable(alerts.find(Filters.and(Filters.eq("sentTo", openid), Filters.eq("acked", false)))
                .sort(Sorts.descending("at")).first()).map(UrgentAlerts::alert);
    }

    public Optional<Alert> find(String caseId) {
        return Optional.ofNullable(alerts.find(Filters.eq("_id", caseId)).first()).map(UrgentAlerts::alert);
    }

    /** Unacknowledged alerts whose level went out {@code after} ago or longer, below the top level. */
    public List<Alert> overdue(Instant now, Duration after) {
        List<Alert> out = new ArrayList<>();
        alerts.find(Filters.and(Filters.eq("acked", false), Filters.lt("level", TOP), Filters.lte("at", Date.from(now.minus(after)))))
                .forEach(d -> out.add(alert(d)));
        return out;
    }

    /** True for the one caller that raises the alert from level {@code from} to {@code to}, sent to {@code openids}. */
    public boolean escalate(String caseId, int from, int to, List<String> openids, Instant now) {
        return alerts.updateOne(Filters.and(Filters.eq("_id", caseId), Filters.eq("level", from), Filters.eq("acked", false)),
                Updates.combine(Updates.set("level", to), Updates.set("at", Date.from(now)), Updates.addEachToSet("sentTo", openids)))
                .getModifiedCount() == 1;
    }

    private static Alert alert(Document d) {
        return new Alert(d.getString("_id"), d.getInteger("level"), d.getDate("at").toInstant(), d.getList("sentTo", String.class, List.of()),
                Optional.ofNullable(d.getString("ackedBy")));
    }
}
