package cn.shegong.core.households;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cn.shegong.core.casework.Areas;
import cn.shegong.core.storage.FieldCipher;
import cn.shegong.core.testing.TestMongo;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Files as counties send them: an .xlsx from Excel with a merged title, a two-row merged heading,
 * numbers stored as numbers (an ID number Excel already rounded, a phone), a real date cell and an
 * empty row; and the same ledger as CSV saved by Excel in China (GB18030). Both import the same.
 */
class SpreadsheetImportTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();

    @TempDir
    Path dir;

    @Test
    void anExcelLedgerIsReadAsPeopleSeeItAndMangledIdNumbersAreRefused() throws IOException {
        Path file = dir.resolve("ledger.xlsx");
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook wb = new Workbook(out, "Microsoft Excel", "16.0");
            Worksheet ws = wb.newWorksheet("花名册");
            ws.value(0, 0, "施甸县留守老人花名册");
            ws.range(0, 0, 0, 6).merge();
            ws.value(1, 0, "户主信息");
            ws.range(1, 0, 1, 2).merge();
            List<String> heading = List.of("序号", "姓名", "公民身份号码", "乡镇（街道）", "村（社区）", "人员类别", "纳入时间", "联系电话");
            for (int c = 0; c < heading.size(); c++) {
                ws.value(2, c, heading.get(c));
            }
            row(ws, 3, 1, "段桂芳", "530521195503010020", LocalDate.of(2024, 6, 1), 13800001234L);
            row(ws, 5, 2, "李桂英", 530521195503010020L, LocalDate.of(2024, 6, 1), 13800005678L); // after an empty row
            ws.value(6, 0, 3);
            ws.value(6, 1, "周德明");
            ws.value(6, 2, "53052119400229004X");
            ws.value(6, 3, "仁和镇");
            ws.value(6, 5, "失能老人");
            wb.finish();
        }
        assertEquals(Spreadsheets.Kind.XLSX, Spreadsheets.kindOf(file));
        try (Spreadsheets.Rows rows = Spreadsheets.open(file)) {
            List<List<String>> all = new ArrayList<>();
            rows.forEachRemaining(all::add);
            assertEquals(List.of(), all.get(4), "the empty row is kept, so line numbers match Excel's");
            assertEquals("5.30521E+17", all.get(5).get(2), "an ID number stored as a number shows as Excel shows it");
            assertEquals("13800005678", all.get(5).get(7), "a phone stored as a number keeps its digits");
        }
        HouseholdImport.Report report = importer("xlsx").run(Spreadsheets.open(file), n -> { });
        assertEquals(Map.of(HouseholdImport.Outcome.CREATED, 2, HouseholdImport.Outcome.REJECTED, 1), report.counts());
        assertEquals(RegistryText.IMPORT_ID_EXCEL_MANGLED, report.rejected().get(0).reason());
        assertEquals(6, report.rejected().get(0).line(), "the line Excel shows");
        assertEquals(6, Spreadsheets.countRows(file), "rows holding something (titles and heading too), for the progress bar");
    }

    @Test
    void aCsvSavedByExcelInChinaIsReadAsGb18030() throws IOException {
        Path file = dir.resolve("ledger.csv");
        Files.writeString(file, "姓名,公民身份号码,乡镇（街道）,人员类别\r\n段桂芳,530521195503010020,姚关镇,留守老人\r\n", Charset.forName("GB18030"));
        assertEquals(Spreadsheets.Kind.CSV, Spreadsheets.kindOf(file));
        HouseholdImport.Report report = importer("csv").run(Spreadsheets.open(file), n -> { });
        assertEquals(Map.of(HouseholdImport.Outcome.CREATED, 1), report.counts());
    }

    private static void row(Worksheet ws, int r, int n, String name, Object id, LocalDate enrolled, long phone) {
        ws.value(r, 0, n);
        ws.value(r, 1, name);
        if (id instanceof Long l) {
            ws.value(r, 2, l);
        } else {
            ws.value(r, 2, (String) id);
        }
        ws.value(r, 3, "姚关镇");
        ws.value(r, 4, "山邑村");
        ws.value(r, 5, "留守老人");
        ws.value(r, 6, enrolled);
        ws.style(r, 6).format("yyyy-mm-dd").set();
        ws.value(r, 7, phone);
    }

    private static HouseholdImport importer(String db) {
        var database = mongo.database("spreadsheet_" + db);
        database.drop();
        FieldCipher cipher = new FieldCipher(new byte[32]);
        HouseholdStore households = new HouseholdStore(database, cipher);
        return new HouseholdImport(new Registry(households, new VisitStore(database, cipher), new VisitPolicy(),
                new Monitoring(database, new RiskSignals(), cipher)), households,
                Areas.baoshan(), new CareCategories(), HouseholdImport.Responsible.NOBODY, Clock.fixed(Instant.parse("2026-11-30T02:00:00Z"), ZoneId.of("UTC")));
    }
}
