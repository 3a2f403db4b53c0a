package cn.shegong.core.report;

import java.io.IOException;
import java.io.OutputStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * The report as an Excel workbook (fastexcel, streamed): a sheet per table, each with the report's
 * title, the period, the area and the time of export above its Chinese headings, then its rows and
 * totals. Text that a spreadsheet would run as a formula (starting with = + - @, a tab or a
 * carriage return) is neutralised with a leading apostrophe.
 */
public final class ReportWorkbook {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

    private ReportWorkbook() {
    }

    public static void write(MonthlyReport.Report report, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, "Shegong", "1.0");
        for (MonthlyReport.Table t : report.tables()) {
            Worksheet ws = wb.newWorksheet(t.title().length() > 31 ? t.title().substring(0, 31) : t.title());
            ws.value(0, 0, safe(report.title() + " · " + t.title()));
            ws.style(0, 0).bold().fontSize(14).set();
            ws.value(1, 0, safe(report.words().get("period") + report.from() + report.words().get("to") + report.to()));
            ws.value(2, 0, safe(report.words().get("area") + report.area()));
            ws.value(3, 0, safe(report.words().get("exported") + MINUTE.format(report.at())));
            int r = 5;
            for (int c = 0; c < t.headings().size(); c++) {
                ws.value(r, c, t.headings().get(c));
                ws.style(r, c).bold().fillColor("E4F7EC").set();
            }
            for (List<Object> row : t.rows()) {
                cells(ws, ++r, row);
            }
            if (t.total().isPresent()) {
                cells(ws, ++r, t.total().get());
                for (int c = 0; c < t.headings().size(); c++) {
                    ws.style(r, c).bold().set();
                }
            }
            ws.width(0, 36);
        }
        wb.finish();
    }

    private static void cells(Worksheet ws, int r, List<Object> row) {
        for (int c = 0; c < row.size(); c++) {
            Object v = row.get(c);
            if (v instanceof Number n) {
                ws.value(r, c, n);
            } else {
                ws.value(r, c, safe(String.valueOf(v)));
            }
        }
    }

    /** A cell's text as text, never a formula. */
    static String safe(String text) {
        return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
