package cn.shegong.core.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A list exported to Excel, streamed: a title, lines saying what it holds (the filters, the time of
 * export), the headings, then one row per record, flushed to the stream every thousand rows so a
 * hundred thousand records never sit in memory. Text a spreadsheet would run as a formula is
 * written as text ({@link ReportWorkbook#safe}).
 */
public final class ListWorkbook implements AutoCloseable {

    private static final int FLUSH_EVERY = 1000;

    private final Workbook book;
    private final Worksheet sheet;
    private int row;

    public ListWorkbook(OutputStream out, String title, List<String> about, List<String> headings) {
        book = new Workbook(out, "Shegong", "1.0");
        sheet = book.newWorksheet(title.length() > 31 ? title.substring(0, 31) : title);
        sheet.value(0, 0, ReportWorkbook.safe(title));
        sheet.style(0, 0).bold().fontSize(14).set();
        row = 1;
        for (String line : about) {
            sheet.value(row++, 0, ReportWorkbook.safe(line));
        }
        row++;
        for (int c = 0; c < headings.size(); c++) {
            sheet.value(row, c, headings.get(c));
            sheet.style(row, c).bold().fillColor("E4F7EC").set();
        }
        row++;
    }

    public void row(List<?> cells) {
        for (int c = 0; c < cells.size(); c++) {
            Object v = cells.get(c);
            if (v instanceof Number n) {
                sheet.value(row, c, n);
            } else if (v != null) {
                sheet.value(row, c, ReportWorkbook.safe(String.valueOf(v)));
            }
        }
        if (++row % FLUSH_EVERY == 0) {
            try {
                sheet.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        book.finish();
    }
}
