package cn.shegong.fakewechat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/** What the fake was asked (every API call, in order, for tests to wait on) and the faults injected into its answers. */
final class FakeCallLog {

    private final List<Fault> faults = new ArrayList<>();
    private final List<RecordedCall> calls = new ArrayList<>();

    synchronized void clear() {
        calls.clear();
        faults.clear();
    }

    synchronized void inject(Fault fault) {
        faults.add(fault);
    }

    /** The faults still to be produced (how many calls each will still fail). */
    synchronized List<Fault> faults() {
        return List.copyOf(faults);
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    synchronized List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    synchronized void clearCalls() {
        calls.clear();
    }

    synchronized Fault takeFault(String path) {
        for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (path.startsWith(f.path())) {
                it.remove();
                if (f.times() > 1) {
                    faults.add(new Fault(f.path(), f.errcode(), f.httpStatus(), f.delayMillis(), f.times() - 1));
                }
                return f;
            }
        }
        return null;
    }

    synchronized void record(RecordedCall call) {
        calls.add(call);
        notifyAll();
    }

    /** Blocks until the recorded calls satisfy {@code condition} or the timeout passes; returns the calls. */
    synchronized List<RecordedCall> awaitCalls(Predicate<List<RecordedCall>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(calls)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return List.copyOf(calls);
    }
}
