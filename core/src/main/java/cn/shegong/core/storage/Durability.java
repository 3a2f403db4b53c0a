package cn.shegong.core.storage;

import java.util.List;

import org.bson.Document;

/** How a write is made to survive a crash of the process before it is acknowledged ({@link Mongo}). */
public interface Durability {

    /** Returns when every write made so far survives a crash of the process. */
    void everything();

    /** Returns when {@code documents}, just inserted into {@code collection}, survive a crash of the process. */
    void inserted(String collection, List<Document> documents);
}
