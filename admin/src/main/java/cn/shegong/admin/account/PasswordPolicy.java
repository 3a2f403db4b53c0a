package cn.shegong.admin.account;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a console password must be (GB/T 22239 level 3, 等保三级): at least 10 characters from at
 * least three of lower case, upper case, digits and symbols, not containing the username, none of
 * the account's last five passwords (checked by {@link AccountStore}), changed every 90 days.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 128;
    public static final int REMEMBERED = 5;
    public static final Duration MAX_AGE = Duration.ofDays(90);

    private PasswordPolicy() {
    }

    /** The reason this password is refused, as an error code the console explains; empty if it is fine. */
    public static Optional<String> problem(String username, String password) {
        if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return Optional.of("password_too_short");
        }
        int classes = (password.chars().anyMatch(Character::isLowerCase) ? 1 : 0)
                + (password.chars().anyMatch(Character::isUpperCase) ? 1 : 0)
                + (password.chars().anyMatch(Character::isDigit) ? 1 : 0)
                + (password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3) {
            return Optional.of("password_weak");
        }
        if (!username.isBlank() && password.toLowerCase(Locale.ROOT).contains(username.strip().toLowerCase(Locale.ROOT))) {
            return Optional.of("password_contains_username");
        }
        return Optional.empty();
    }
}
