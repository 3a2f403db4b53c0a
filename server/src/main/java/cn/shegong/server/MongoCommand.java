package cn.shegong.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import cn.shegong.core.storage.Mongo;

/**
 * {@code ./shegong mongo [--port N]}: the embedded MongoDB-wire store of the data folder, served on
 * 127.0.0.1 until stopped (Ctrl-C), so that several service processes on one machine can share it
 * with {@code MONGODB_URI}. For trying replicas on one machine; production runs a replica set.
 */
final class MongoCommand {

    static final int DEFAULT_PORT = 27017;

    private MongoCommand() {
    }

    static int run(List<String> args, Path dataDir, PrintStream out) throws InterruptedException {
        int port = DEFAULT_PORT;
        if (args.size() == 2 && args.get(0).equals("--port")) {
            port = Integer.parseInt(args.get(1));
        } else if (!args.isEmpty()) {
            out.println("usage: ./shegong mongo [--port N]");
            return 2;
        }
        Mongo.Served served = Mongo.serve(dataDir, "127.0.0.1", port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            served.close(); // commits the file
            stopped.countDown();
        }));
        out.println("Embedded MongoDB-wire store of " + dataDir.resolve("mongo.mv") + " at " + served.uri());
        out.println("Point services at it with MONGODB_URI=" + served.uri() + "   (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}
