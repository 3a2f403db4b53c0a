package cn.shegong.core.households;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntConsumer;

import cn.shegong.core.casework.Areas;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * Imports the registry from a county's spreadsheet, row by row (rows arrive as cells, from CSV or
 * Excel, and are never all held at once): the heading row is found among the first rows (titles
 * above it are skipped) and mapped by templates/registry/columns.yaml; each row becomes a
 * household (the person cared for first), matched by ID number. A bad row is reported with its
 * reason and never stops the good ones; the same file imported twice changes nothing.
 */
public final class HouseholdImport {

    public enum Outcome { CREATED, UPDATED, UNCHANGED, REJECTED }

    /** A refused row: its line in the file, why, and its cells (for the file of rows to fix). */
    public record Rejected(int line, RegistryText reason, List<String> cells) {
    }

    public record Report(Map<Outcome, Integer> counts, List<Rejected> rejected, List<String> headings, List<String> unmapped) {

        public int count(Outcome o) {
            return counts.getOrDefault(o, 0);
        }

        /** The rejected rows as CSV for Excel (UTF-8 with a byte-order mark), the reason in the first column. */
        public void writeRejected(java.io.Writer w, cn.shegong.core.text.Texts texts) throws java.io.IOException {
            w.write('\uFEFF');
            org.apache.commons.csv.CSVPrinter p = new org.apache.commons.csv.CSVPrinter(w, org.apache.commons.csv.CSVFormat.DEFAULT);
            List<String> header = new ArrayList<>(List.of(texts.render(RegistryText.IMPORT_REASON_HEADING)));
            header.addAll(headings);
            p.printRecord(header);
            for (Rejected r : rejected) {
                List<String> row = new ArrayList<>(List.of(texts.render(r.reason())));
                row.addAll(r.cells());
                p.printRecord(row);
            }
            p.flush();
        }
    }

    private static final int HEADER_SEARCH = 10;
    private static final ZoneId BAOSHAN = ZoneId.of("Asia/Shanghai");

    /** Who answers for a household: the worker named in the file at the township's station, else its head; empty if none. */
    public interface Responsible {
        Optional<String> workerId(String townshipCode, String name);

        Responsible NOBODY = (t, n) -> Optional.empty();
    }

    private final Registry registry;
    private final HouseholdStore households;
    private final Responsible responsible;
    private final Areas areas;
    private final CareCategories categories;
    private final Clock clock;
    private final Map<String, List<String>> headings = new LinkedHashMap<>();
    private final Map<String, String> categoryWords = new LinkedHashMap<>();
    private final Map<String, Household.Risk> riskWords = new HashMap<>();
    private final List<String> tekunWords;
    private final List<String> tekunNotIf;
    private final List<String> collectiveWords;
    private final String collectiveCode;
    private final String dispersedCode;
    private final List<String> totals;
    private final String defaultRelation;

    public HouseholdImport(Registry registry, HouseholdStore households, Areas areas, CareCategories categories, Responsible responsible,
                           Clock clock) {
        this.registry = registry;
        this.responsible = responsible;
        this.households = households;
        this.areas = areas;
        this.categories = categories;
        this.clock = clock;
        Config root = Config.just(ConfigSources.classpath("registry/columns.yaml"));
        root.get("fields").asNodeList().orElseThrow().forEach(f -> headings.put(f.name(), f.asList(String.class).get()));
        root.get("categories").asNodeList().orElseThrow().forEach(c -> categoryWords.put(c.name(), c.asString().get()));
        root.get("risks").asNodeList().orElseThrow().forEach(r -> riskWords.put(r.name(), Household.Risk.valueOf(r.asString().get())));
        tekunWords = root.get("tekun.words").asList(String.class).get();
        tekunNotIf = root.get("tekun.not_if").asList(String.class).get();
        collectiveWords = root.get("tekun.collective").asList(String.class).get();
        collectiveCode = root.get("tekun.collective_code").asString().get();
        dispersedCode = root.get("tekun.default_code").asString().get();
        totals = root.get("totals").asList(String.class).get();
        defaultRelation = root.get("default_relation").asString().get();
    }

    /** Imports every row; {@code progress} hears the number of rows done so far. */
    public Report run(Iterator<List<String>> rows, IntConsumer progress) {
        return run(rows, progress, t -> true);
    }

    /** Imports the rows whose township {@code mayImport} allows (a county admin imports their county); the others are refused. */
    public Report run(Iterator<List<String>> rows, IntConsumer progress, java.util.function.Predicate<Areas.Township> mayImport) {
        Map<Outcome, Integer> counts = new java.util.EnumMap<>(Outcome.class);
        List<Rejected> rejected = new ArrayList<>();
        List<List<String>> before = new ArrayList<>();
        Map<String, Integer> columns = Map.of();
        int line = 0;
        while (rows.hasNext() && columns.isEmpty() && line < HEADER_SEARCH) {
            List<String> row = rows.next();
            line++;
            before.add(row);
            Map<String, Integer> found = columns(row);
            if (found.containsKey("name") && (found.containsKey("id_number") || found.containsKey("category"))) {
                columns = found;
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no heading row with a name and an ID number or a category in the first " + HEADER_SEARCH + " rows");
        }
        List<String> header = before.get(before.size() - 1);
        List<String> unmapped = header.stream().map(String::strip).filter(h -> !h.isEmpty() && !mapped(h)).toList();
        int done = 0;
        while (rows.hasNext()) {
            List<String> row = rows.next();
            line++;
            if (blankOrTotal(row)) {
                continue;
            }
            Outcome outcome = importRow(row, columns, line, rejected, mayImport);
            counts.merge(outcome, 1, Integer::sum);
            progress.accept(++done);
        }
        return new Report(counts, rejected, header, unmapped);
    }

    private Outcome importRow(List<String> row, Map<String, Integer> columns, int line, List<Rejected> rejected,
                              java.util.function.Predicate<Areas.Township> mayImport) {
        LocalDate today = clock.instant().atZone(BAOSHAN).toLocalDate();
        String name = cell(row, columns, "name");
        if (name.isEmpty()) {
            return reject(rejected, line, RegistryText.IMPORT_NO_NAME, row);
        }
        IdNumbers.Checked id = IdNumbers.check(cell(row, columns, "id_number"), today);
        if (!id.ok()) {
            return reject(rejected, line, RegistryText.of(id.problem().orElseThrow()), row);
        }
        Optional<Areas.Township> township = areas.find(cell(row, columns, "county") + cell(row, columns, "township"));
        if (township.isEmpty()) {
            return reject(rejected, line, RegistryText.IMPORT_UNKNOWN_TOWNSHIP, row);
        }
        if (!mayImport.test(township.get())) {
            return reject(rejected, line, RegistryText.IMPORT_OUTSIDE_AREA, row);
        }
        Optional<String> category = category(cell(row, columns, "category"), cell(row, columns, "support_mode"));
        if (category.isEmpty()) {
            return reject(rejected, line, RegistryText.IMPORT_UNKNOWN_CATEGORY, row);
        }
        String enrolledText = cell(row, columns, "enrolled");
        Optional<LocalDate> enrolled = enrolledText.isEmpty() ? Optional.of(today) : Dates.parse(enrolledText);
        if (enrolled.isEmpty()) {
            return reject(rejected, line, RegistryText.IMPORT_BAD_DATE, row);
        }
        String number = id.number().orElseThrow();
        Map<String, LocalDate> cats = new TreeMap<>();
        households.byIdNumber(number).ifPresent(h -> cats.putAll(h.categories())); // one person in two ledgers: both categories
        cats.merge(category.get(), enrolled.get(), (a, b) -> a.isBefore(b) ? a : b);
        String phone = cell(row, columns, "phone");
        String relation = cell(row, columns, "relation");
        HouseholdStore.Facts facts = new HouseholdStore.Facts(List.of(new Household.Member(name, Optional.of(number),
                phone.isEmpty() ? Optional.empty() : Optional.of(phone), relation.isEmpty() ? defaultRelation : relation, IdNumbers.birthDate(number))),
                township.get().code(), township.get().countyCode(), cell(row, columns, "village"), cell(row, columns, "address"), cats,
                Optional.ofNullable(riskWords.get(cell(row, columns, "risk"))).orElse(Household.Risk.MEDIUM), cell(row, columns, "plan"));
        Instant now = clock.instant();
        Optional<String> worker = responsible.workerId(township.get().code(), cell(row, columns, "worker"));
        return switch (registry.enrol(facts, worker, today, now).outcome()) {
            case CREATED -> Outcome.CREATED;
            case UPDATED -> Outcome.UPDATED;
            case UNCHANGED -> Outcome.UNCHANGED;
        };
    }

    /** A category word; for a bare tekun word the support mode column decides dispersed or collective (columns.yaml). */
    Optional<String> category(String text, String supportMode) {
        String t = text.strip();
        Optional<String> exact = Optional.ofNullable(categoryWords.get(t));
        if (exact.isEmpty() && tekunWords.stream().anyMatch(t::contains) && tekunNotIf.stream().noneMatch(t::contains)) {
            boolean collective = collectiveWords.stream().anyMatch(w -> supportMode.contains(w) || t.contains(w));
            return Optional.of(collective ? collectiveCode : dispersedCode);
        }
        return exact.or(() -> categories.byLabel(t).map(CareCategories.Category::code));
    }

    private Map<String, Integer> columns(List<String> row) {
        Map<String, Integer> found = new HashMap<>();
        headings.forEach((field, names) -> {
            for (String name : names) {
                int i = indexOf(row, name);
                if (i >= 0) {
                    found.put(field, i);
                    return;
                }
            }
        });
        return found;
    }

    private boolean mapped(String heading) {
        return headings.values().stream().anyMatch(names -> names.contains(normalize(heading)));
    }

    private static int indexOf(List<String> row, String heading) {
        for (int i = 0; i < row.size(); i++) {
            if (normalize(row.get(i)).equals(heading)) {
                return i;
            }
        }
        return -1;
    }

    /** Headings as typed: spaces and line breaks inside merged cells dropped. */
    private static String normalize(String heading) {
        return heading == null ? "" : heading.replaceAll("[\\s\\u3000]", "");
    }

    private static String cell(List<String> row, Map<String, Integer> columns, String field) {
        Integer i = columns.get(field);
        return i == null || i >= row.size() || row.get(i) == null ? "" : row.get(i).strip();
    }

    private boolean blankOrTotal(List<String> row) {
        boolean blank = row.stream().allMatch(c -> c == null || c.isBlank());
        boolean total = row.stream().limit(3).anyMatch(c -> c != null && totals.stream().anyMatch(c::contains));
        return blank || total;
    }

    private static Outcome reject(List<Rejected> rejected, int line, RegistryText reason, List<String> row) {
        rejected.add(new Rejected(line, reason, List.copyOf(row)));
        return Outcome.REJECTED;
    }
}
