package cn.shegong.core.casework;

import java.util.Locale;
import java.util.Optional;

/** The triage categories (shared/DESIGN.md). Codes are stable; labels are in templates/labels.yaml. */
public enum Category {
    DIBAO, TEKUN, LINSHI, ELDERLY, CHILDREN, DISABILITY, MENTAL, POLICY, OTHER;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Category> fromCode(String code) {
        for (Category c : values()) {
            if (c.code().equals(code)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** A request for help someone must follow up (not a policy question or an unrelated message). */
    public boolean isHelpRequest() {
        return this != POLICY && this != OTHER;
    }
}
