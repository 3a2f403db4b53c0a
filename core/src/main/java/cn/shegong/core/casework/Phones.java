package cn.shegong.core.casework;

import java.util.regex.Pattern;

/** Phone numbers shown to people who should recognise them but not read them out: 138****1234. */
public final class Phones {

    private static final Pattern IN_TEXT = Pattern.compile("(?<!\\d)(1[3-9]\\d|0\\d{2,3}-?)\\d{4,5}(\\d{4})(?!\\d)");

    private Phones() {
    }

    public static String mask(String phone) {
        String digits = phone.replace("-", "");
        return digits.length() <= 7 ? "****" : digits.substring(0, 3) + "****" + digits.substring(digits.length() - 4);
    }

    /** Every mobile or landline number inside free text (what residents wrote), masked. */
    public static String maskAll(String text) {
        return IN_TEXT.matcher(text).replaceAll(m -> m.group(1).replace("-", "").substring(0, 3) + "****" + m.group(2));
    }
}
