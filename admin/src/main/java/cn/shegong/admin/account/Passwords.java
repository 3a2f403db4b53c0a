package cn.shegong.admin.account;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import at.favre.lib.crypto.bcrypt.BCrypt;

/**
 * bcrypt (cost 12, about a quarter of a second of CPU) on one platform thread of its own, with a
 * short queue. On the virtual threads' carriers a burst of logins would starve the webhook on a
 * one-CPU container; on its own thread the OS shares the CPU fairly, and a burst beyond the queue
 * is refused as {@link Busy} instead of piling up.
 */
public final class Passwords {

    static final int COST = 12;
    private static final int QUEUE = 16;
    private static final long WAIT_SECONDS = 10;
    private static final byte[] DUMMY = BCrypt.withDefaults().hash(COST, "not-a-password".toCharArray());

    /** Too many password checks at once: try again shortly. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("password checks are queued full", null, false, false);
        }
    }

    private static final ThreadPoolExecutor HASHING = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "shegong-bcrypt");
                t.setDaemon(true);
                return t;
            });

    private Passwords() {
    }

    static boolean matches(String password, String hash) {
        return run(() -> BCrypt.verifyer().verify(password.toCharArray(), hash.getBytes(StandardCharsets.UTF_8)).verified);
    }

    /** Takes as long as a real check, so that a wrong username cannot be told from a wrong password. */
    static void spendAsLongAsACheck(String password) {
        run(() -> BCrypt.verifyer().verify(password.toCharArray(), DUMMY).verified);
    }

    static String hash(String password) {
        return run(() -> BCrypt.withDefaults().hashToString(COST, password.toCharArray()));
    }

    private static <T> T run(Callable<T> work) {
        Future<T> f;
        try {
            f = HASHING.submit(work);
        } catch (RejectedExecutionException e) {
            throw new Busy();
        }
        try {
            return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Busy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        } catch (ExecutionException e) {
            throw new IllegalStateException("bcrypt failed", e.getCause());
        }
    }
}
