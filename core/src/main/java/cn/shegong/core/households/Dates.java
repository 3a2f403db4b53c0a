package cn.shegong.core.households;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Dates as ledgers write them: 2022-03-05, 2022/3/5, 2022.3.5, 2022年3月5日, 20220305, or an Excel serial number. */
final class Dates {

    /** Year, month, day separated by - / . or the characters for year and month, the day character optional. */
    private static final Pattern YMD = Pattern.compile("(\\d{4})\\s*[-/.\\u5e74]\\s*(\\d{1,2})\\s*[-/.\\u6708]\\s*(\\d{1,2})\\s*\\u65e5?");
    private static final Pattern COMPACT = Pattern.compile("(\\d{4})(\\d{2})(\\d{2})");
    private static final LocalDate EXCEL_EPOCH = LocalDate.of(1899, 12, 30);

    private Dates() {
    }

    static Optional<LocalDate> parse(String text) {
        String t = text.strip();
        try {
            Matcher m = YMD.matcher(t);
            if (m.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            }
            m = COMPACT.matcher(t);
            if (m.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            }
            if (t.matches("\\d{5}(\\.0+)?")) { // an Excel serial date (1954–2064)
                int serial = (int) Double.parseDouble(t);
                if (serial > 20_000 && serial < 60_000) {
                    return Optional.of(EXCEL_EPOCH.plusDays(serial));
                }
            }
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
