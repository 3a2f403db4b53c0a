package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import cn.shegong.bot.triage.LabelledText;
import cn.shegong.bot.triage.Triage;
import cn.shegong.core.casework.Areas;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.CaseStore;
import cn.shegong.core.casework.Category;
import cn.shegong.core.message.StoredMessage;
import cn.shegong.core.staff.Station;
import cn.shegong.core.staff.Worker;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The demo's data, generated once with a fixed seed: 2–4 workers at each of the 74 stations, and a
 * few dozen cases in every status, each with a short WeChat transcript. Invented names
 * (templates/demo/seed.yaml), requests taken from the triage training sentences, phones 138-0000-xxxx.
 */
final class DemoSeed {

    static final int CASES = 48;

    private DemoSeed() {
    }

    /** The demo station, whose head and one worker have their WeChat bound to simulator phones. */
    static final String DEMO_STATION = "530521103";
    static final String HEAD_PHONE = "o-demo-worker-head";
    static final String WORKER_PHONE = "o-demo-worker-zhao";
    /** A second worker of 姚关镇 on a simulator phone (relief and 低保 cases), so a station's day has more than one phone. */
    static final String SECOND_WORKER_PHONE = "o-demo-worker-qian";

    /**
     * The station head and a worker of the demo station, bound to the simulator's worker phones, so
     * assignments reach a phone. The station's other workers take other kinds of request, so the
     * routing rules (least loaded, the skilled first) give the tour's elderly and child requests to
     * the demo worker.
     */
    private static Worker bindDemoWorkers(Shegong shegong, String workerName, String secondName, Instant now) {
        Worker head = shegong.staff().workers(DEMO_STATION).stream().filter(w -> w.role() == Worker.Role.HEAD).findFirst().orElseThrow();
        shegong.staff().bind(head.id(), HEAD_PHONE, now);
        for (Worker w : shegong.staff().workers(DEMO_STATION)) {
            shegong.staff().updateWorker(w.id(), w.name(), w.role(), List.of(Category.DIBAO, Category.TEKUN, Category.DISABILITY), w.capacity(),
                    true);
        }
        Worker worker = shegong.staff().addWorker(workerName, DEMO_STATION, Worker.Role.WORKER,
                List.of(Category.ELDERLY, Category.CHILDREN, Category.LINSHI), 10);
        shegong.staff().bind(worker.id(), WORKER_PHONE, now);
        Worker second = shegong.staff().addWorker(secondName, DEMO_STATION, Worker.Role.WORKER, List.of(Category.DIBAO, Category.TEKUN), 10);
        shegong.staff().bind(second.id(), SECOND_WORKER_PHONE, now);
        java.util.Map<java.time.DayOfWeek, List<String>> everyDay = new java.util.EnumMap<>(java.time.DayOfWeek.class);
        for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
            everyDay.put(d, List.of(worker.id())); // on duty every day, so the tour's urgent requests reach the simulator phone
        }
        shegong.rosters().saveWeekly(DEMO_STATION, everyDay);
        return worker;
    }

    /** What a seeded closed request achieved, as its category suggests (so the report's results have figures). */
    private static CaseStore.Outcome outcome(Category category, Random random) {
        return switch (category) {
            case DIBAO -> new CaseStore.Outcome("granted_dibao", Optional.empty());
            case TEKUN -> new CaseStore.Outcome("granted_tekun", Optional.empty());
            case LINSHI -> new CaseStore.Outcome("granted_linshi", Optional.of(500L + 100L * random.nextInt(16)));
            default -> new CaseStore.Outcome(random.nextBoolean() ? "resources" : "resolved", Optional.empty());
        };
    }

    /** Seeds an empty demo; does nothing when there are workers already. */
    static void seedIfEmpty(Shegong shegong, Clock clock) {
        List<Station> stations = shegong.staff().stations(Optional.empty(), Optional.empty());
        if (stations.isEmpty() || !shegong.staff().workers(stations.get(0).code()).isEmpty()) {
            return;
        }
        Config names = Config.just(ConfigSources.classpath("demo/seed.yaml"));
        List<String> surnames = names.get("surnames").asList(String.class).get();
        List<String> given = names.get("given").asList(String.class).get();
        Random random = new Random(20261129);
        Category[] help = {Category.DIBAO, Category.TEKUN, Category.LINSHI, Category.ELDERLY, Category.CHILDREN,
                Category.DISABILITY, Category.MENTAL};
        for (Station st : stations) {
            int n = 2 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                shegong.staff().addWorker(surnames.get(random.nextInt(surnames.size())) + given.get(random.nextInt(given.size())),
                        st.code(), i == 0 ? Worker.Role.HEAD : Worker.Role.WORKER,
                        List.of(help[random.nextInt(help.length)], help[random.nextInt(help.length)]), 6 + random.nextInt(8));
            }
        }
        List<LabelledText> requests = Triage.trainingData().stream().filter(t -> t.category().isHelpRequest()).toList();
        Areas areas = Areas.baoshan();
        Case.Status[] statuses = Case.Status.values();
        Instant now = clock.instant();
        for (int i = 0; i < CASES; i++) {
            LabelledText request = requests.get(random.nextInt(requests.size()));
            Areas.Township township = areas.townships().get(random.nextInt(areas.townships().size()));
            String openid = "o-demo-seed-" + i;
            Instant at = now.minus(Duration.ofHours(2 + random.nextInt(24 * 90))); // the last three months: the report has a past
            String name = surnames.get(random.nextInt(surnames.size())) + given.get(random.nextInt(given.size()));
            Case c = shegong.cases().create(new CaseStore.NewCase(openid, request.category(), request.urgent(), Optional.of(township),
                    Optional.of(name), Optional.of(String.format("1380000%04d", i)), request.text(), false), at);
            shegong.messages().insertLinked(new StoredMessage(openid, StoredMessage.Direction.IN, "text", request.text(),
                    Optional.of(9_000_000_000L + i), Map.of(), at, at), c.id());
            shegong.residents().recordContact(openid, at);
            shegong.residents().recordConsent(openid, true, at);
            Case.Status status = statuses[i % statuses.length];
            List<Worker> workers = shegong.staff().workers(township.code());
            if (status != Case.Status.NEW && status != Case.Status.CANCELLED) {
                Worker w = workers.get(random.nextInt(workers.size()));
                shegong.cases().assignment().assign(c.id(), 0, township.code(), Optional.of(w.id()), Optional.of(w.name()), at.plusSeconds(3600));
                if (status != Case.Status.ASSIGNED) {
                    shegong.cases().forWorkers().recordContact(c.id(), w.name(), at.plusSeconds(5400));
                    shegong.cases().changeStatus(c.id(), 1, status, status == Case.Status.CLOSED ? "closed" : "visited", "",
                            at.plusSeconds(7200 + 3600L * random.nextInt(72)));
                }
                if (status == Case.Status.CLOSED) {
                    shegong.cases().recordOutcomes(c.id(), List.of(outcome(request.category(), random)));
                    shegong.cases().rate(c.id(), 3 + random.nextInt(3), at.plusSeconds(9000));
                }
            } else if (status == Case.Status.CANCELLED) {
                shegong.cases().changeStatus(c.id(), 0, status, "cancelled_by_resident", "", at.plusSeconds(600));
            }
        }
        seedTrainingsAndPhones(shegong, names, stations, clock, random);
        // after the seeded cases, so none of them is the demo worker's: the tour's short codes stay unambiguous
        Worker demoWorker = bindDemoWorkers(shegong, names.get("demo_worker").asString().get(),
                names.get("second_worker").asString().get(), clock.instant());
        DemoHouseholds.seed(shegong, surnames, given, names.get("visit_notes").asList(String.class).get(),
                names.get("visit_notes_risk").asList(String.class).get(), demoWorker, clock.instant(), random);
    }

    /** Station phones (obviously fake: 0875-0000xxx) and the trainings of the last weeks with who signed in. */
    private static void seedTrainingsAndPhones(Shegong shegong, Config names, List<Station> stations, Clock clock, Random random) {
        for (int i = 0; i < stations.size(); i++) {
            shegong.staff().updateStation(stations.get(i).code(), String.format("0875-0000%03d", i), true);
        }
        java.time.LocalDate today = java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai")));
        for (Config t : names.get("trainings").asNodeList().get()) {
            java.time.LocalDate day = today.minusDays(t.get("days_ago").asInt().get());
            var training = shegong.households().trainings().create(t.get("title").asString().get(), day, t.get("kind").asString().get(),
                    t.get("organiser").asString().get(), t.get("hours").asDouble().get(), Shegong.CITY_AREA, "admin", clock.instant());
            boolean heads = t.get("heads").asBoolean().get();
            for (Station st : stations) {
                for (Worker w : shegong.staff().workers(st.code())) {
                    if (heads ? w.role() == Worker.Role.HEAD : random.nextInt(4) == 0) {
                        shegong.households().trainings().signIn(training.code(), w.id(), day);
                    }
                }
            }
        }
    }
}
