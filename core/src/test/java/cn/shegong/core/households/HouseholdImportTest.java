package cn.shegong.core.households;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A county ledger as real files come: a title row, reordered columns, bad and mangled rows, a totals row; imported twice. */
class HouseholdImportTest {

    @RegisterExtension
    static final TestMongo mongo = new TestMongo();
    HouseholdStore households;
    VisitStore visits;
    HouseholdImport importer;
    final Clock clock = Clock.fixed(Instant.parse("2026-11-30T02:00:00Z"), ZoneId.of("UTC"));

    static final List<List<String>> LEDGER = List.of(
            List.of("施甸县2026年农村特困人员、留守老人花名册", "", "", "", "", "", ""),
            List.of("序号", "姓名", "乡镇（街道）", "村（社区）", "公民身份号码", "人员类别", "供养方式", "纳入时间", "联系电话", "乡村医生"),
            List.of("1", "段桂芳", "姚关镇", "山邑村", "530521195503010020", "特困人员", "分散供养", "2022.3.5", "13800001234", "杨医生"),
            List.of("2", "周德明", "仁和镇", "仁和村", "53052119400229004x", "留守老人", "", "2023年1月9日", "", ""),
            List.of("3", "李桂英", "姚关镇", "山邑村", "5.30521E+17", "留守老人", "", "", "", ""),
            List.of("4", "", "姚关镇", "", "530521201506150035", "孤儿", "", "", "", ""),
            List.of("5", "王小明", "不存在镇", "", "530521201506150035", "孤儿", "", "", "", ""),
            List.of("6", "王小明", "太平镇", "太平村", "530521201506150035", "外星人", "", "", "", ""),
            List.of("", "", "", "", "", "", ""),
            List.of("7", "段桂芳", "姚关镇", "山邑村", "530521195503010020", "留守老人", "", "2024-06-01", "13800001234", ""),
            List.of("合计", "", "", "", "", "", "7人"));

    @BeforeEach
    void fresh() {
        var db = mongo.fresh("import_test");
        FieldCipher cipher = new FieldCipher(new byte[32]);
        households = new HouseholdStore(db, cipher);
        visits = new VisitStore(db, cipher);
        importer = new HouseholdImport(new Registry(households, visits, new VisitPolicy(), new Monitoring(db, new RiskSignals(), cipher)), households, Areas.baoshan(),
                new CareCategories(), HouseholdImport.Responsible.NOBODY, clock);
    }

    HouseholdImport.Report run() {
        List<Integer> progress = new ArrayList<>();
        HouseholdImport.Report r = importer.run(LEDGER.iterator(), progress::add);
        assertEquals(7, progress.get(progress.size() - 1), "progress counts every data row");
        return r;
    }

    @Test
    void goodRowsAreImportedBadOnesReportedWithTheirReasonAndASecondRunChangesNothing() {
        HouseholdImport.Report first = run();
        assertEquals(Map.of(HouseholdImport.Outcome.CREATED, 2, HouseholdImport.Outcome.UPDATED, 1, HouseholdImport.Outcome.REJECTED, 4),
                first.counts());
        assertEquals(List.of(RegistryText.IMPORT_ID_EXCEL_MANGLED, RegistryText.IMPORT_NO_NAME, RegistryText.IMPORT_UNKNOWN_TOWNSHIP,
                RegistryText.IMPORT_UNKNOWN_CATEGORY), first.rejected().stream().map(HouseholdImport.Rejected::reason).toList());
        assertEquals(List.of(5, 6, 7, 8), first.rejected().stream().map(HouseholdImport.Rejected::line).toList(), "lines as in the file");
        assertEquals(List.of("序号", "乡村医生"), first.unmapped());

        Household duan = households.byIdNumber("530521195503010020").orElseThrow();
        assertEquals(Map.of("fensan_tekun", LocalDate.of(2022, 3, 5), "liushou_laoren", LocalDate.of(2024, 6, 1)), duan.categories(),
                "one person in two ledgers: both categories");
        assertEquals("530521103", duan.townshipCode());
        assertTrue(duan.nextVisit().isPresent(), "its next visit is scheduled at once");
        assertEquals(LocalDate.of(1940, 2, 29), households.byIdNumber("53052119400229004X").orElseThrow().head().birthDate().orElseThrow());

        HouseholdImport.Report second = run();
        assertEquals(Map.of(HouseholdImport.Outcome.UNCHANGED, 3, HouseholdImport.Outcome.REJECTED, 4), second.counts());
        assertEquals(2, households.count());
        assertEquals(2, visits.dueBy(LocalDate.of(2026, 11, 30), 400).size(), "no visit scheduled twice");
    }
}
