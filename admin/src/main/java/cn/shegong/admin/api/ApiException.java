package cn.shegong.admin.api;

/**
 * A refused API request: the HTTP status and a stable code the console turns into a message
 * (texts in templates/console/). Mapped to JSON in one place, {@link AdminApi#error}.
 */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    ApiException(int status, String code) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
    }

    static ApiException notFound() {
        return new ApiException(404, "not_found");
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
