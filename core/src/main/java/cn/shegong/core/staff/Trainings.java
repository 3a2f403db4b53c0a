package cn.shegong.core.staff;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
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
import org.bson.types.ObjectId;

/**
 * Trainings of social workers and station heads (the report's 培训人次): title, date, kind,
 * organiser, hours and who attended. Each has a sign-in code workers send on WeChat during the
 * training day ({@code 签到 T4821}); signing in twice counts once.
 */
public final class Trainings {

    public record Training(String id, String title, LocalDate date, String kind, String organiser, double hours, String areaCode,
                           String code, List<String> attendees) {
    }

    public enum SignIn { SIGNED_IN, ALREADY, NOT_TODAY, UNKNOWN }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MongoCollection<Document> trainings;

    public Trainings(MongoDatabase db) {
        this.trainings = db.getCollection("trainings");
    }

    /** A training in an area (a county, or the city), with a fresh sign-in code ({@code T} and four digits). */
    public Training create(String title, LocalDate date, String kind, String organiser, double hours, String areaCode, String by, Instant now) {
        String code;
        do {
            code = String.format("T%04d", RANDOM.nextInt(10_000));
        } while (trainings.find(Filters.and(Filters.eq("code", code), Filters.gte("date", date.minusDays(30).toString()))).first() != null);
        Document d = new Document("_id", new ObjectId()).append("title", title).append("date", date.toString()).append("kind", kind)
                .append("organiser", organiser).append("hours", hours).append("area", areaCode).append("code", code)
                .append("attendees", List.of()).append("by", by).append("at", Date.from(now));
        trainings.insertOne(d);
        return training(d);
    }

    /** A worker signs in with the code on the training's day (or the day after, for late entries). */
    public SignIn signIn(String code, String workerId, LocalDate today) {
        Document d = trainings.find(Filters.eq("code", code.toUpperCase(java.util.Locale.ROOT))).sort(Sorts.descending("date")).first();
        if (d == null) {
            return SignIn.UNKNOWN;
        }
        LocalDate date = LocalDate.parse(d.getString("date"));
        if (today.isBefore(date) || today.isAfter(date.plusDays(1))) {
            return SignIn.NOT_TODAY;
        }
        return trainings.updateOne(Filters.and(Filters.eq("_id", d.getObjectId("_id")), Filters.ne("attendees", workerId)),
                Updates.push("attendees", workerId)).getModifiedCount() == 1 ? SignIn.SIGNED_IN : SignIn.ALREADY;
    }

    public Optional<Training> byCode(String code) {
        return Optional.ofNullable(trainings.find(Filters.eq("code", code.toUpperCase(java.util.Locale.ROOT)))
                .sort(Sorts.descending("date")).first()).map(Trainings::training);
    }

    /** Trainings from {@code from} to {@code to} (inclusive), newest first. */
    public List<Training> between(LocalDate from, LocalDate to) {
        List<Training> out = new ArrayList<>();
        trainings.find(Filters.and(Filters.gte("date", from.toString()), Filters.lte("date", to.toString())))
                .sort(Sorts.descending("date")).forEach(d -> out.add(training(d)));
        return out;
    }

    private static Training training(Document d) {
        return new Training(d.getObjectId("_id").toHexString(), d.getString("title"), LocalDate.parse(d.getString("date")),
                d.getString("kind"), d.getString("organiser"), ((Number) d.get("hours")).doubleValue(), d.getString("area"),
                d.getString("code"), d.getList("attendees", String.class, List.of()));
    }
}
