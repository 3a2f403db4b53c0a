package cn.shegong.core.storage;

import java.util.Set;
import java.util.function.BiConsumer;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * Hands every command this process sends to MongoDB to {@code counter} as (command, collection),
 * so an operator (and {@code ./shegong bench webhook}) sees how many reads and writes a message
 * costs. The driver's own traffic (handshakes, heartbeats, sessions) is left out.
 */
public final class MongoCommands implements CommandListener {

    private static final Set<String> DRIVER_OWN = Set.of("hello", "ismaster", "isMaster", "ping", "endSessions", "buildInfo",
            "saslStart", "saslContinue", "killCursors");

    private final BiConsumer<String, String> counter;

    public MongoCommands(BiConsumer<String, String> counter) {
        this.counter = counter;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String name = event.getCommandName();
        if (!DRIVER_OWN.contains(name)) {
            counter.accept(name, collection(name, event.getCommand()));
        }
    }

    /** The collection a command works on: the value of its first key, or getMore's {@code collection}. */
    private static String collection(String name, BsonDocument command) {
        BsonValue target = command.get(name);
        if (target != null && target.isString()) {
            return target.asString().getValue();
        }
        BsonValue named = command.get("collection");
        return named != null && named.isString() ? named.asString().getValue() : "";
    }
}
