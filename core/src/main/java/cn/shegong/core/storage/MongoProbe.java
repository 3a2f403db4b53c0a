package cn.shegong.core.storage;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.bson.Document;

/**
 * Whether MongoDB answers, known without waiting for it: a ping every second on a client of its
 * own with one-second timeouts, on a platform thread of its own. The webhook asks it before each
 * push (a stalled server would otherwise hold every push for the driver's ten-second timeout) and
 * health reports it.
 */
final class MongoProbe implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(MongoProbe.class.getName());

    private final MongoClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shegong-mongo-probe");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean down;

    MongoProbe(String uri) {
        this.client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(b -> b.serverSelectionTimeout(EVERY.toMillis(), TimeUnit.MILLISECONDS))
                .applyToSocketSettings(b -> b.connectTimeout((int) EVERY.toMillis(), TimeUnit.MILLISECONDS)
                        .readTimeout(EVERY.toMillis(), TimeUnit.MILLISECONDS))
                .applyToConnectionPoolSettings(b -> b.maxSize(1))
                .retryReads(false)
                .build());
        timer.scheduleWithFixedDelay(this::probe, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        try {
            client.getDatabase("admin").runCommand(new Document("ping", 1));
            if (down) {
                LOG.info("MongoDB answers again");
            }
            down = false;
        } catch (MongoException | IllegalStateException e) {
            if (!down) {
                LOG.warning("MongoDB does not answer (" + e.getClass().getSimpleName() + "): pushes are kept in the backlog until it does");
            }
            down = true;
        }
    }

    boolean down() {
        return down;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        client.close();
    }
}
