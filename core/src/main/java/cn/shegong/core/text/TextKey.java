package cn.shegong.core.text;

/**
 * A text people read, named by its file in {@code templates/texts/}. Each module lists its texts
 * in an enum implementing this, so unused and missing files are found by a test, not by a user.
 */
public interface TextKey {

    /** The enum constant's name in lower case with dashes: {@code STATUS_LIST} → {@code status-list}. */
    default String key() {
        return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
