package cn.shegong.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.households.CareCategories;
import cn.shegong.core.households.HouseholdImport;
import cn.shegong.core.households.HouseholdStore;
import cn.shegong.core.households.Registry;
import cn.shegong.core.households.VisitPolicy;
import cn.shegong.core.households.VisitStore;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.storage.Mongo;
import cn.shegong.core.text.Texts;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code ./shegong import households FILE.csv}: the registry from a county's spreadsheet saved as
 * CSV (UTF-8, or GB18030 as Excel in China saves it), streamed row by row with a progress line;
 * a report of created, updated, unchanged and rejected rows, and the rejected rows with their
 * reasons in {@code FILE.rejected.csv} to fix and import again. Safe to run twice.
 */
final class ImportCommand {

    private ImportCommand() {
    }

    static int run(ShegongConfig config, List<String> args, PrintStream out) {
        if (args.size() != 2 || !args.get(0).equals("households") || !args.get(1).toLowerCase().endsWith(".csv")) {
            System.err.println("Usage: ./shegong import households FILE.csv   (Excel: save as CSV first; .xlsx is planned)");
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
            Registry registry = new Registry(households, new VisitStore(mongo.database(), cipher), new VisitPolicy());
            HouseholdImport importer = new HouseholdImport(registry, households, Areas.baoshan(), new CareCategories(), Clock.systemUTC());
            HouseholdImport.Report report;
            try (Reader reader = reader(file)) {
                Iterator<CSVRecord> records = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(reader).iterator();
                Iterator<List<String>> rows = new Iterator<>() {
                    public boolean hasNext() {
                        return records.hasNext();
                    }

                    public List<String> next() {
                        return records.next().toList();
                    }
                };
                report = importer.run(rows, n -> {
                    if (n % 500 == 0) {
                        System.err.print("\rimported " + n + " rows…");
                    }
                });
            }
            System.err.print("\r");
            out.println("Created " + report.counts().getOrDefault(HouseholdImport.Outcome.CREATED, 0)
                    + ", updated " + report.counts().getOrDefault(HouseholdImport.Outcome.UPDATED, 0)
                    + ", unchanged " + report.counts().getOrDefault(HouseholdImport.Outcome.UNCHANGED, 0)
                    + ", rejected " + report.counts().getOrDefault(HouseholdImport.Outcome.REJECTED, 0) + ".");
            if (!report.unmapped().isEmpty()) {
                out.println("Columns not imported (no mapping in templates/registry/columns.yaml): " + String.join(", ", report.unmapped()));
            }
            if (!report.rejected().isEmpty()) {
                Path rejected = file.resolveSibling(file.getFileName().toString().replaceAll("(?i)\\.csv$", "") + ".rejected.csv");
                writeRejected(rejected, report);
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

    /** UTF-8 (with or without a byte-order mark) when the file is valid UTF-8, else GB18030. */
    static Reader reader(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(64 * 1024);
        }
        Charset charset = StandardCharsets.UTF_8;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(head, 0, safeEnd(head)));
        } catch (CharacterCodingException e) {
            charset = Charset.forName("GB18030");
        }
        InputStream in = Files.newInputStream(file);
        if (charset == StandardCharsets.UTF_8 && head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            in.skipNBytes(3);
        }
        return new InputStreamReader(in, charset);
    }

    /** Stops before a UTF-8 sequence cut at the end of the sample. */
    private static int safeEnd(byte[] head) {
        int end = head.length;
        for (int i = 0; i < 3 && end > 0 && (head[end - 1] & 0xC0) == 0x80; i++) {
            end--;
        }
        return end > 0 && (head[end - 1] & 0xC0) == 0xC0 ? end - 1 : end;
    }

    private static void writeRejected(Path path, HouseholdImport.Report report) throws IOException {
        Texts texts = new Texts();
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write('\uFEFF'); // so Excel opens it as UTF-8
            try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
                List<String> header = new ArrayList<>(List.of(texts.render(cn.shegong.core.households.RegistryText.IMPORT_REASON_HEADING)));
                header.addAll(report.headings());
                p.printRecord(header);
                for (HouseholdImport.Rejected r : report.rejected()) {
                    List<String> row = new ArrayList<>(List.of(texts.render(r.reason())));
                    row.addAll(r.cells());
                    p.printRecord(row);
                }
            }
        }
    }
}
