package cn.shegong.bot.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * A visit note being written across several messages (the note command and case, then text,
 * voice, photos, a location, then the done word). Plain fields for JSON, kept encrypted in the conversation store.
 */
final class NoteSession {

    /** A photo or voice message: WeChat's media id, downloaded within its 3-day lifetime. */
    public static final class Part {
        public String kind;
        public String mediaId;
        public String recognition;
    }

    public String caseId;
    /** Set instead of {@code caseId} when the note is a home visit's (its code). */
    public String visitCode;
    public List<String> texts = new ArrayList<>();
    public List<Part> media = new ArrayList<>();
    public String place;

    int count() {
        return texts.size() + media.size() + (place == null ? 0 : 1);
    }
}
