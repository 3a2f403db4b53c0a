package cn.shegong.core.staff;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;

/** Stations (one per township, created from the area list at start-up, idempotently) and their workers. */
public final class StaffStore {

    private final MongoCollection<Document> stations;
    private final MongoCollection<Document> workers;
    private final MongoCollection<Document> cases;
    /** openid → worker, by {@code _id}. */
    private final MongoCollection<Document> bindings;
    /** Who a sender is, asked on every push: {@link #bindings} as last read. */
    private final BoundOpenids bound;

    public StaffStore(MongoDatabase db) {
        this(db, BoundOpenids.FRESH);
    }

    /** {@code bindingsFresh}: how long the bindings read for {@link #byOpenid} are used (another replica's change is seen after it). */
    StaffStore(MongoDatabase db, Duration bindingsFresh) {
        this.stations = db.getCollection("stations");
        this.workers = db.getCollection("workers");
        this.cases = db.getCollection("cases");
        this.bindings = db.getCollection("worker_openids");
        this.bound = new BoundOpenids(bindings, bindingsFresh);
    }

    public void ensureIndexes() {
        workers.createIndex(Indexes.ascending("stationCode"), new IndexOptions().name("stationCode"));
        cases.createIndex(Indexes.compoundIndex(Indexes.ascending("assigneeId"), Indexes.ascending("status")),
                new IndexOptions().name("assignee_status").sparse(true));
    }

    /** One station per township; existing stations keep their phone and status. */
    public void ensureStations(Areas areas) {
        for (Areas.Township t : areas.townships()) {
            stations.updateOne(Filters.eq("_id", t.code()), Updates.combine(
                    Updates.set("township", t.name()), Updates.set("county", t.county()), Updates.set("countyCode", t.countyCode()),
                    Updates.setOnInsert("phone", ""), Updates.setOnInsert("active", true)), new UpdateOptions().upsert(true));
        }
    }

    /** Stations under an area: a county code (6 digits), a township code (9), or the whole city. */
    public List<Station> stations(Optional<String> countyCode, Optional<String> townshipCode) {
        List<Bson> f = new ArrayList<>();
        countyCode.ifPresent(c -> f.add(Filters.eq("countyCode", c)));
        townshipCode.ifPresent(t -> f.add(Filters.eq("_id", t)));
        List<Station> out = new ArrayList<>();
        stations.find(f.isEmpty() ? new Document() : Filters.and(f)).sort(Sorts.ascending("_id")).forEach(d -> out.add(station(d)));
        return out;
    }

    public Optional<Station> station(String code) {
        return Optional.ofNullable(stations.find(Filters.eq("_id", code)).first()).map(StaffStore::station);
    }

    public void updateStation(String code, String phone, boolean active) {
        stations.updateOne(Filters.eq("_id", code), Updates.combine(Updates.set("phone", phone), Updates.set("active", active)));
    }

    /** The station's poster QR code (a permanent code, made once and kept), if it has one. */
    public Optional<String> posterQr(String code) {
        return Optional.ofNullable(stations.find(Filters.eq("_id", code)).first()).map(d -> d.getString("posterQr"));
    }

    public void setPosterQr(String code, String imageUrl) {
        stations.updateOne(Filters.eq("_id", code), Updates.set("posterQr", imageUrl));
    }

    public Worker addWorker(String name, String stationCode, Worker.Role role, List<Category> skills, int capacity) {
        Document d = new Document("_id", new ObjectId()).append("name", name).append("stationCode", stationCode)
                .append("role", role.name()).append("skills", skills.stream().map(Category::code).toList())
                .append("capacity", capacity).append("active", true);
        workers.insertOne(d);
        return worker(d);
    }

    public void updateWorker(String id, String name, Worker.Role role, List<Category> skills, int capacity, boolean active) {
        workers.updateOne(Filters.eq("_id", new ObjectId(id)), Updates.combine(Updates.set("name", name),
                Updates.set("role", role.name()), Updates.set("skills", skills.stream().map(Category::code).toList()),
                Updates.set("capacity", capacity), Updates.set("active", active)));
    }

    public Optional<Worker> worker(String id) {
        return ObjectId.isValid(id) ? Optional.ofNullable(workers.find(Filters.eq("_id", new ObjectId(id))).first()).map(StaffStore::worker)
                : Optional.empty();
    }

    public List<Worker> workers(String stationCode) {
        List<Worker> out = new ArrayList<>();
        workers.find(Filters.eq("stationCode", stationCode)).sort(Sorts.ascending("name")).forEach(d -> out.add(worker(d)));
        return out;
    }

    /** The WeChat openids of a station's active, bound heads (who hear of what goes wrong at the station). */
    public List<String> headOpenids(String stationCode) {
        return workers(stationCode).stream().filter(Worker::active).filter(w -> w.role() == Worker.Role.HEAD)
                .flatMap(w -> w.openid().stream()).toList();
    }

    /** Who answers for a household of a station: the active worker of that name there, else the station's head. */
    public Optional<String> responsibleFor(String stationCode, String name) {
        List<Worker> active = workers(stationCode).stream().filter(Worker::active).toList();
        return active.stream().filter(w -> !name.isBlank() && w.name().equals(name.strip())).findFirst()
                .or(() -> active.stream().filter(w -> w.role() == Worker.Role.HEAD).findFirst()).map(Worker::id);
    }

    /** Every worker of the city, by station then name (the command line's list). */
    public List<Worker> allWorkers() {
        List<Worker> out = new ArrayList<>();
        workers.find().sort(Sorts.ascending("stationCode", "name")).forEach(d -> out.add(worker(d)));
        return out;
    }

    /**
     * The worker whose WeChat this is, if it is bound to one: confirmed by the worker's record, so
     * a binding read a moment ago and since undone elsewhere is never taken for one. A binding
     * made by another replica is seen within {@link BoundOpenids#FRESH}.
     */
    public Optional<Worker> byOpenid(String openid) {
        return bound.workerId(openid).flatMap(this::worker).filter(w -> w.openid().filter(openid::equals).isPresent());
    }

    /**
     * Binds the worker's WeChat: the openid now belongs to this worker only (a phone handed over
     * to a colleague is re-bound, not shared), and the worker has only this openid.
     */
    public void bind(String workerId, String openid, Instant now) {
        worker(workerId).flatMap(Worker::openid).ifPresent(old -> bindings.deleteOne(Filters.eq("_id", old)));
        Document earlier = bindings.find(Filters.eq("_id", openid)).first(); // read now, not as last read: no phone is left with two workers
        Optional.ofNullable(earlier).flatMap(b -> worker(b.getString("workerId"))).filter(w -> w.openid().filter(openid::equals).isPresent())
                .ifPresent(other -> workers.updateOne(Filters.eq("_id", new ObjectId(other.id())), Updates.unset("openid")));
        bindings.replaceOne(Filters.eq("_id", openid), new Document("_id", openid).append("workerId", workerId)
                .append("boundAt", Date.from(now)), new ReplaceOptions().upsert(true));
        workers.updateOne(Filters.eq("_id", new ObjectId(workerId)), Updates.combine(Updates.set("openid", openid),
                Updates.set("boundAt", Date.from(now))));
        bound.changed();
    }

    /** Unbinds the worker's WeChat (by the worker, or from the console); false when it was not bound. */
    public boolean unbind(String workerId) {
        Optional<String> openid = worker(workerId).flatMap(Worker::openid);
        openid.ifPresent(o -> bindings.deleteOne(Filters.eq("_id", o)));
        workers.updateOne(Filters.eq("_id", new ObjectId(workerId)), Updates.combine(Updates.unset("openid"), Updates.unset("boundAt")));
        bound.changed();
        return openid.isPresent();
    }

    /** Cases assigned to the worker and still open (a reopened case stays with its worker). */
    public long openCases(String workerId) {
        return cases.countDocuments(Filters.and(Filters.eq("assigneeId", workerId),
                Filters.in("status", Case.Status.open().stream().map(Enum::name).toList())));
    }

    private static Station station(Document d) {
        return new Station(d.getString("_id"), d.getString("township"), d.getString("county"), d.getString("countyCode"),
                d.getString("phone"), d.getBoolean("active", true));
    }

    private static Worker worker(Document d) {
        return new Worker(d.getObjectId("_id").toHexString(), d.getString("name"), d.getString("stationCode"),
                Worker.Role.valueOf(d.getString("role")),
                d.getList("skills", String.class, List.of()).stream().flatMap(c -> Category.fromCode(c).stream()).toList(),
                d.getInteger("capacity", 10), d.getBoolean("active", true), Optional.ofNullable(d.getString("openid")));
    }
}
