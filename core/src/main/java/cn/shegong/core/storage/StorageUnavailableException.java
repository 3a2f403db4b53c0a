package cn.shegong.core.storage;

/** A store the service needs does not answer at start-up. The message says which and where to look. */
public final class StorageUnavailableException extends RuntimeException {
    public StorageUnavailableException(String message) {
        super(message);
    }
}
