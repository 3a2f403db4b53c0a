package cn.shegong.server.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** {@code kill -SIGNAL pid}, for drills that pause (STOP), resume (CONT) or kill (KILL) a process this JVM did not start itself. */
public final class Signals {

    private Signals() {
    }

    public static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }
}
