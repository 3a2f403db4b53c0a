package cn.shegong.core.storage;

import java.util.logging.Level;
import java.util.logging.Logger;

import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;

/**
 * Tells a store that could not be reached (down, stalled, electing a primary: worth trying again
 * later) from a write that was refused (trying again cannot help).
 */
public final class StorageFaults {

    private StorageFaults() {
    }

    /**
     * Logs a background job's failure: MongoDB unreachable at FINE in one line (its probe has said
     * so once, at WARNING: a job retrying every half second must not fill the log with the same
     * stack trace), anything else at WARNING with its stack trace.
     */
    public static void log(Logger log, String what, RuntimeException e) {
        if (unreachable(e)) {
            log.fine(() -> what + ": MongoDB unreachable (" + e.getClass().getSimpleName() + ")");
        } else {
            log.log(Level.WARNING, what + ": " + e.getClass().getName(), e);
        }
    }

    /** As {@link #log(Logger, String, RuntimeException)}, for a {@link System.Logger}. */
    public static void log(System.Logger log, String what, RuntimeException e) {
        if (unreachable(e)) {
            log.log(System.Logger.Level.DEBUG, () -> what + ": MongoDB unreachable (" + e.getClass().getSimpleName() + ")");
        } else {
            log.log(System.Logger.Level.WARNING, what + ": " + e.getClass().getName(), e);
        }
    }

    /** True when {@code e}, or what caused it, says MongoDB could not be reached or did not answer in time. */
    public static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MongoSocketException || t instanceof MongoTimeoutException || t instanceof MongoNotPrimaryException
                    || t instanceof MongoNodeIsRecoveringException || t instanceof StorageUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
