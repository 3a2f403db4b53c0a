package cn.shegong.core.casework;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One request for help (求助/个案), decrypted. Name, phone and description are sensitive: they are
 * stored encrypted and shown masked unless a role may see them.
 *
 * @param version incremented by every change an admin makes, for optimistic locking
 */
public record Case(
        String id,
        String number,
        String openid,
        Category category,
        boolean urgent,
        Status status,
        Optional<Areas.Township> township,
        Optional<String> name,
        Optional<String> phone,
        String description,
        boolean contactRequested,
        Instant createdAt,
        int version,
        List<Event> timeline,
        Optional<Integer> rating,
        Optional<String> ratingComment,
        Optional<String> assignee,
        Optional<String> assigneeId,
        Optional<Instant> firstContactAt) {

    public enum Status {
        NEW, ASSIGNED, IN_PROGRESS, CLOSED, CANCELLED;

        public boolean isOpen() {
            return this != CLOSED && this != CANCELLED;
        }

        /** The statuses of cases still being worked on. */
        public static List<Status> open() {
            return java.util.Arrays.stream(values()).filter(Status::isOpen).toList();
        }
    }

    /** The case's short code, as a worker types it: the day's sequence number ("0007"). */
    public String shortCode() {
        return number.substring(number.lastIndexOf('-') + 1);
    }

    /** Something that happened to the case; {@code note} is never sensitive (no names, phones, health). */
    public record Event(Instant at, String kind, String note) {
    }
}
