package cn.shegong.server;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import cn.shegong.core.households.IdNumbers;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** County ledgers (.xlsx) as tests need them: a title, the heading, good rows, then the given extra rows. */
final class Ledgers {

    static final List<String> HEADING = List.of("序号", "姓名", "公民身份号码", "县（市、区）", "乡镇（街道）", "村（社区）", "人员类别", "联系电话");

    private Ledgers() {
    }

    /** A valid ID number of someone born in 1950 in 施甸县, numbered {@code n}. */
    static String idNumber(int n) {
        String first17 = "530521" + "1950" + String.format("%02d%02d", 1 + n % 12, 1 + n % 28) + String.format("%03d", n % 1000);
        return first17 + IdNumbers.checkCharacter(first17);
    }

    /** {@code good} households in 姚关镇 (留守老人), then {@code extra} rows as given (in HEADING's order). */
    static Path write(Path file, int good, List<List<String>> extra) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            Workbook wb = new Workbook(out, "Microsoft Excel", "16.0");
            Worksheet ws = wb.newWorksheet("花名册");
            ws.value(0, 0, "施甸县留守老人花名册");
            ws.range(0, 0, 0, HEADING.size() - 1).merge();
            for (int c = 0; c < HEADING.size(); c++) {
                ws.value(1, c, HEADING.get(c));
            }
            int r = 2;
            for (int i = 0; i < good; i++, r++) {
                cells(ws, r, List.of(String.valueOf(i + 1), "段" + "桂芳明德华兰英".charAt(i % 7) + i, idNumber(i), "施甸县", "姚关镇",
                        "山邑村", "留守老人", "138" + String.format("%08d", i)));
            }
            for (List<String> row : extra) {
                cells(ws, r++, row);
            }
            wb.finish();
        }
        return file;
    }

    private static void cells(Worksheet ws, int r, List<String> values) {
        for (int c = 0; c < values.size(); c++) {
            ws.value(r, c, values.get(c));
        }
    }
}
