package cn.shegong.bot.intake;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.shegong.core.casework.Areas;

/**
 * What a resident's message says about the intake's missing fields: a phone number (and whether
 * it is valid), a name, a township. Several can come in one message.
 */
record Details(Optional<String> phone, Optional<String> badPhone, Optional<String> name, Optional<Areas.Township> township) {

    /** A mainland mobile number, or a landline with its area code. */
    private static final Pattern MOBILE = Pattern.compile("(?<!\\d)1[3-9]\\d{9}(?!\\d)");
    private static final Pattern LANDLINE = Pattern.compile("(?<!\\d)0\\d{2,3}-?\\d{7,8}(?!\\d)");
    /** Any run of digits long enough to be meant as a phone number. */
    private static final Pattern DIGITS = Pattern.compile("(?<![\\d-])\\d[\\d-]{5,}\\d(?![\\d-])");
    static Details from(String text, Areas areas, Vocabulary words) {
        Optional<String> phone = find(MOBILE, text).or(() -> find(LANDLINE, text));
        Optional<String> bad = phone.isPresent() ? Optional.empty() : find(DIGITS, text);
        Matcher m = words.namePattern().matcher(text);
        Optional<String> name = Optional.empty();
        if (m.find()) {
            name = Optional.ofNullable(m.group(1)).or(() -> Optional.ofNullable(m.group(2)));
        }
        return new Details(phone, bad, name, areas.find(text));
    }

    private static Optional<String> find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group()) : Optional.empty();
    }

    /** The text without the phone number and township it gives, so triage reads the need, not the address. */
    String withoutContacts(String text) {
        String need = text;
        for (Optional<String> part : java.util.List.of(phone, badPhone, township.map(Areas.Township::name),
                township.map(Areas.Township::county))) {
            if (part.isPresent()) {
                need = need.replace(part.get(), " ");
            }
        }
        return need;
    }

    boolean isEmpty() {
        return phone.isEmpty() && badPhone.isEmpty() && name.isEmpty() && township.isEmpty();
    }
}
