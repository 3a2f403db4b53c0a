package cn.shegong.core.households;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Resident identity card numbers (公民身份号码, GB 11643-1999): 17 digits and a check character
 * (0–9 or X) computed with ISO 7064 MOD 11-2; characters 7–14 are the birth date. Typed or
 * exported numbers are cleaned first (full-width digits, spaces, a lower-case x); a number Excel
 * turned into {@code 5.30521E+17} has lost digits and cannot be repaired.
 */
public final class IdNumbers {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    /** Why a number was refused (the texts people read live in templates/). */
    public enum Problem { EMPTY, EXCEL_MANGLED, LENGTH, CHARACTERS, BIRTH_DATE, CHECK_DIGIT }

    /** A number, cleaned and valid, or what is wrong with it. */
    public record Checked(Optional<String> number, Optional<Problem> problem) {
        public boolean ok() {
            return number.isPresent();
        }
    }

    private IdNumbers() {
    }

    public static Checked check(String raw, LocalDate today) {
        String n = clean(raw);
        if (n.isEmpty()) {
            return bad(Problem.EMPTY);
        }
        if (n.matches("\\d(\\.\\d+)?E\\+?\\d+")) {
            return bad(Problem.EXCEL_MANGLED);
        }
        if (n.length() != 18) {
            return bad(Problem.LENGTH);
        }
        if (!n.matches("\\d{17}[0-9X]")) {
            return bad(Problem.CHARACTERS);
        }
        Optional<LocalDate> born = birthDate(n);
        if (born.isEmpty() || born.get().isAfter(today) || born.get().isBefore(LocalDate.of(1890, 1, 1))) {
            return bad(Problem.BIRTH_DATE);
        }
        if (checkCharacter(n.substring(0, 17)) != n.charAt(17)) {
            return bad(Problem.CHECK_DIGIT);
        }
        return new Checked(Optional.of(n), Optional.empty());
    }

    /** The birth date inside a valid number. */
    public static Optional<LocalDate> birthDate(String number) {
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(number.substring(6, 10)), Integer.parseInt(number.substring(10, 12)),
                    Integer.parseInt(number.substring(12, 14))));
        } catch (DateTimeException | NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** Shown to roles that may not see it: the first 3 and the last 2 characters only. */
    public static String mask(String number) {
        return number.length() < 6 ? "***" : number.substring(0, 3) + "*".repeat(number.length() - 5) + number.substring(number.length() - 2);
    }

    static String clean(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (char c : raw.strip().toCharArray()) {
            char half = c >= '\uFF01' && c <= '\uFF5E' ? (char) (c - 0xFEE0) : c;
            if (!Character.isWhitespace(half) && half != '\u3000') {
                b.append(Character.toUpperCase(half));
            }
        }
        return b.toString();
    }

    private static Checked bad(Problem p) {
        return new Checked(Optional.empty(), Optional.of(p));
    }
}
