package cn.shegong.fakewechat;

/**
 * A failure the fake is told to produce for the next {@code times} calls whose path starts with
 * {@code path}: an errcode inside a 200, an HTTP status with no JSON, or a delay before answering.
 */
public record Fault(String path, int errcode, int httpStatus, long delayMillis, int times) {

    public static Fault errcode(String path, int errcode, int times) {
        return new Fault(path, errcode, 0, 0, times);
    }

    public static Fault httpStatus(String path, int status, int times) {
        return new Fault(path, 0, status, 0, times);
    }

    public static Fault delay(String path, long millis, int times) {
        return new Fault(path, 0, 0, millis, times);
    }
}
