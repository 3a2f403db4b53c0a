package cn.shegong.fakewechat;

import java.time.Instant;
import java.util.Map;

/**
 * One call the service made to the fake, as the fake saw it: the path, the query (access token
 * included, so tests can tell which token was used), the JSON body, and the errcode answered
 * (or the HTTP status when a fault answered without JSON).
 */
public record RecordedCall(long seq, Instant at, String method, String path, Map<String, String> query,
                           Map<String, Object> body, int errcode, int httpStatus) {
}
