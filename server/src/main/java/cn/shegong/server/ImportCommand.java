package cn.shegong.server;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdImport;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Monitoring;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.RiskSignals;
import cn.shegong.core.households.Spreadsheets;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.staff.StaffStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.text.Texts;

/**
 * {@code ./shegong import households FILE.xlsx|FILE.csv}: the registry from a county's spreadsheet
 * (Excel, or CSV in UTF-8 or GB18030), streamed row by row with a progress line;
 * a report of created, updated, unchanged and rejected rows, and the rejected rows with their
 * reasons in {@code FILE.rejected.csv} to fix and import again. Safe to run twice.
 */
final class ImportCommand {

    private ImportCommand() {
    }

    static int run(ShegongConfig config, List<String> args, PrintStream out) {
        if (args.size() != 2 || !args.get(0).equals("households") || !args.get(1).toLowerCase().matches(".*\\.(csv|xlsx)")) {
            System.err.println("Usage: ./shegong import households FILE.xlsx|FILE.csv");
            return 2;
        }
        Path file = Path.of(args.get(1));
        if (!Files.isReadable(file)) {
            System.err.println("shegong: cannot read " + file);
            return 1;
        }
        try (Mongo mongo = Mongo.open(config.mongodbUri(), config.mongodbDatabase(), config.dataDir())) {
            FieldCipher cipher = FieldCipher.open(config.dataKey(), config.dataDir());
            HouseholdStore households = new HouseholdStore(mongo.database(), cipher);
            Registry registry = new Registry(households, new VisitStore(mongo.database(), cipher), new VisitPolicy(),
                    new Monitoring(mongo.database(), new RiskSignals(), cipher));
            HouseholdImport importer = new HouseholdImport(registry, households, Areas.baoshan(), new CareCategories(),
                    new StaffStore(mongo.database())::responsibleFor, Clock.systemUTC());
            HouseholdImport.Report report;
            int total = Spreadsheets.countRows(file);
            try (Spreadsheets.Rows rows = Spreadsheets.open(file)) {
                report = importer.run(rows, n -> {
                    if (n % 200 == 0 || n == total) {
                        System.err.print("\r" + bar(n, total));
                    }
                });
            }
            int rows = report.counts().values().stream().mapToInt(Integer::intValue).sum();
            System.err.println("\r" + bar(rows, rows));
            out.println("Created " + report.count(HouseholdImport.Outcome.CREATED) + ", updated " + report.count(HouseholdImport.Outcome.UPDATED)
                    + ", unchanged " + report.count(HouseholdImport.Outcome.UNCHANGED)
                    + ", rejected " + report.count(HouseholdImport.Outcome.REJECTED) + ".");
            if (!report.unmapped().isEmpty()) {
                out.println("Columns not imported (no mapping in templates/registry/columns.yaml): " + String.join(", ", report.unmapped()));
            }
            if (!report.rejected().isEmpty()) {
                Path rejected = file.resolveSibling(file.getFileName().toString().replaceAll("(?i)\\.(csv|xlsx)$", "") + ".rejected.csv");
                try (Writer w = Files.newBufferedWriter(rejected, StandardCharsets.UTF_8)) {
                    report.writeRejected(w, new Texts());
                }
                out.println("Rejected rows, with the reason in the first column: " + rejected);
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            System.err.println("shegong: " + e.getMessage());
            return 1;
        }
    }

    /** {@code [##########----------]  50%  2,500 / 5,000 rows} */
    static String bar(int done, int total) {
        int width = 30;
        int filled = total == 0 ? width : Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + String.format("%3d%%  %,d / %,d rows",
                total == 0 ? 100 : Math.min(100, done * 100 / total), done, total);
    }
}
