package cn.shegong.core.staff;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;

/**
 * Who is on duty (值班), for urgent requests: a weekly pattern of workers per day, and exceptions
 * for single dates (a swap, a holiday) that replace the pattern that day. One roster per station
 * ({@code _id} its township code), per county ({@code county:} and its code) and for the city
 * ({@code city}), in {@code rosters}.
 */
public final class Rosters {

    public static final String CITY = "city";

    public record Roster(String key, Map<DayOfWeek, List<String>> weekly, Map<LocalDate, List<String>> exceptions) {

        public List<String> onDuty(LocalDate day) {
            return Optional.ofNullable(exceptions.get(day)).orElseGet(() -> weekly.getOrDefault(day.getDayOfWeek(), List.of()));
        }
    }

    private final MongoCollection<Document> rosters;

    public Rosters(MongoDatabase db) {
        this.rosters = db.getCollection("rosters");
    }

    public static String county(String countyCode) {
        return "county:" + countyCode;
    }

    public Roster get(String key) {
        Document d = rosters.find(Filters.eq("_id", key)).first();
        Map<DayOfWeek, List<String>> weekly = new EnumMap<>(DayOfWeek.class);
        Map<LocalDate, List<String>> exceptions = new java.util.TreeMap<>();
        if (d != null) {
            d.get("weekly", new Document()).forEach((day, ids) -> weekly.put(DayOfWeek.valueOf(day), strings(ids)));
            d.get("exceptions", new Document()).forEach((day, ids) -> exceptions.put(LocalDate.parse(day), strings(ids)));
        }
        return new Roster(key, weekly, exceptions);
    }

    /** Replaces the weekly pattern. */
    public void saveWeekly(String key, Map<DayOfWeek, List<String>> weekly) {
        Document w = new Document();
        weekly.forEach((day, ids) -> w.append(day.name(), List.copyOf(ids)));
        rosters.updateOne(Filters.eq("_id", key), Updates.set("weekly", w), new UpdateOptions().upsert(true));
    }

    /** Who is on duty on one date instead of the pattern (an empty list: the pattern again). */
    public void setException(String key, LocalDate day, List<String> workerIds) {
        rosters.updateOne(Filters.eq("_id", key), workerIds.isEmpty() ? Updates.unset("exceptions." + day)
                : Updates.set("exceptions." + day, List.copyOf(workerIds)), new UpdateOptions().upsert(true));
    }

    public List<String> onDuty(String key, LocalDate day) {
        return get(key).onDuty(day);
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }
}
