package cn.shegong.core.households;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;

/**
 * A county's spreadsheet as rows of cell texts, streamed: CSV (UTF-8, or GB18030 as Excel in
 * China saves it) with commons-csv, and .xlsx (its first sheet) with fastexcel-reader, which reads
 * the sheet's XML as a stream. Excel cells come as people saw them: a number stored as a number
 * keeps its digits, except one of 16 digits or more, which Excel has already rounded and shows as
 * {@code 5.30521E+17} — that is what the row carries, so the import refuses it with that reason.
 */
public final class Spreadsheets {

    /** Rows of a file, to close when done. */
    public interface Rows extends Iterator<List<String>>, Closeable {
    }

    public enum Kind { CSV, XLSX }

    private Spreadsheets() {
    }

    /** The kind by the file's first bytes (an .xlsx is a zip), so a renamed file is still read right. */
    public static Kind kindOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ReadableWorkbook.isOOXMLZipHeader(in.readNBytes(8)) ? Kind.XLSX : Kind.CSV;
        }
    }

    public static Rows open(Path file) throws IOException {
        return kindOf(file) == Kind.XLSX ? xlsx(file) : csv(file);
    }

    /** How many rows hold something (an upper bound of the rows to import: the heading and titles count too), for a progress bar. */
    public static int countRows(Path file) throws IOException {
        int n = 0;
        try (Rows rows = open(file)) {
            while (rows.hasNext()) {
                if (rows.next().stream().anyMatch(c -> c != null && !c.isBlank())) {
                    n++;
                }
            }
        }
        return n;
    }

    private static Rows csv(Path file) throws IOException {
        Reader reader = reader(file);
        Iterator<CSVRecord> records = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get().parse(reader).iterator();
        return new Rows() {
            public boolean hasNext() {
                return records.hasNext();
            }

            public List<String> next() {
                return records.next().toList();
            }

            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** Rows of the first sheet; rows Excel left out (empty ones) come back empty, so line numbers match what people see. */
    private static Rows xlsx(Path file) throws IOException {
        ReadableWorkbook book = new ReadableWorkbook(file.toFile());
        Stream<Row> stream = book.getFirstSheet().openStream();
        Iterator<Row> rows = stream.iterator();
        return new Rows() {
            private int line;
            private Row pending;

            public boolean hasNext() {
                return pending != null || rows.hasNext();
            }

            public List<String> next() {
                if (pending == null) {
                    if (!rows.hasNext()) {
                        throw new NoSuchElementException();
                    }
                    pending = rows.next();
                }
                line++;
                if (pending.getRowNum() > line) {
                    return List.of();
                }
                Row row = pending;
                pending = null;
                List<String> cells = new ArrayList<>(row.getCellCount());
                for (int i = 0; i < row.getCellCount(); i++) {
                    cells.add(text(row.getCell(i)));
                }
                return cells;
            }

            public void close() throws IOException {
                stream.close();
                book.close();
            }
        };
    }

    private static String text(Cell cell) {
        if (cell == null || cell.getType() == CellType.EMPTY) {
            return "";
        }
        if (cell.getType() == CellType.NUMBER) {
            BigDecimal n = cell.asNumber();
            if (n.abs().compareTo(BigDecimal.valueOf(1_000_000_000_000_000L)) >= 0) {
                return String.format(Locale.ROOT, "%.5E", n);
            }
            return n.stripTrailingZeros().toPlainString();
        }
        String raw = cell.getRawValue();
        return cell.getType() == CellType.STRING || cell.getType() == CellType.FORMULA ? cell.getText() : raw == null ? "" : raw;
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
}
