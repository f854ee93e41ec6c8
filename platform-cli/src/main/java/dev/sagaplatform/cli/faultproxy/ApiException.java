package dev.sagaplatform.cli.faultproxy;

/** A refused API request, answered as Toxiproxy answers errors: {@code {"error": message, "status": status}}. */
final class ApiException extends RuntimeException {

    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException proxyNotFound() {
        return new ApiException(404, "proxy not found");
    }

    static ApiException toxicNotFound() {
        return new ApiException(404, "toxic not found");
    }
}
