package dev.sagaplatform.order.remote;

/**
 * A service this one needs did not answer usefully (down, too slow, an error status or an answer
 * that breaks its contract). Retrying later may help, so clients get 503 with Retry-After.
 */
public class DependencyUnavailableException extends RuntimeException {

    private final String dependency;

    public DependencyUnavailableException(String dependency, String message, Throwable cause) {
        super(dependency + ": " + message, cause);
        this.dependency = dependency;
    }

    public String dependency() {
        return dependency;
    }
}
