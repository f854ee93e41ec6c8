package dev.sagaplatform.testsupport;

/** Child-process main for {@link JavaProcessTest}. */
public final class EchoMain {

    private EchoMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
        System.out.println("args=" + String.join(",", args));
        System.out.println("property=" + System.getProperty("echo.property"));
        System.out.println("env=" + System.getenv("ECHO_ENV"));
        System.out.println("maxHeapMiB=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
