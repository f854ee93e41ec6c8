package dev.sagaplatform.cli.faultproxy;

/** A fault proxy (or Toxiproxy) API call that failed: refused with an error, or not answered at all. */
public final class FaultProxyException extends RuntimeException {

    private final int status;
    private final String apiError;

    FaultProxyException(String message, int status, String apiError, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.apiError = apiError;
    }

    /** The HTTP status of a refusal, or 0 when the API did not answer (or answered with something else than JSON). */
    public int status() {
        return status;
    }

    /** The API's own {@code error} text (e.g. {@code "proxy not found"}) of a refusal, else null. */
    public String apiError() {
        return apiError;
    }
}
