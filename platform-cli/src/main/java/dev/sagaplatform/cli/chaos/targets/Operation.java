package dev.sagaplatform.cli.chaos.targets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * One concrete thing a target does to the platform: a command (docker, kubectl, kill), an HTTP call
 * (a fault API) or a step in this JVM. Its description is exactly what it does, so a dry run prints
 * the plan and the compose and k8s targets can be tested on the commands they would issue.
 */
public sealed interface Operation {

    String describe();

    void run() throws Exception;

    /** These operations one after the other, as one (the one itself when there is only one, so its description stays). */
    static Operation sequence(List<Operation> operations) {
        if (operations.size() == 1) {
            return operations.get(0);
        }
        List<Operation> copy = List.copyOf(operations);
        return new Local(String.join("; ", copy.stream().map(Operation::describe).toList()), () -> {
            for (Operation operation : copy) {
                operation.run();
            }
        });
    }

    /**
     * These operations as one that runs every one of them even when one fails, then fails with the first failure (the
     * others added as suppressed): for undoing a fault on several paths, where one failed call must not leave the rest
     * of the fault in place.
     */
    static Operation all(List<Operation> operations) {
        if (operations.size() == 1) {
            return operations.get(0);
        }
        List<Operation> copy = List.copyOf(operations);
        return new Local(String.join("; ", copy.stream().map(Operation::describe).toList()), () -> {
            Exception first = null;
            for (Operation operation : copy) {
                try {
                    operation.run();
                }
                catch (Exception ex) {
                    if (first == null) {
                        first = ex;
                    }
                    else {
                        first.addSuppressed(ex);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        });
    }

    /** A program with its arguments (and what it reads on standard input, if anything); a non-zero exit is a failure carrying its output. */
    record Command(List<String> argv, String stdin) implements Operation {
        public Command {
            argv = List.copyOf(argv);
        }

        public Command(List<String> argv) {
            this(argv, null);
        }

        @Override
        public String describe() {
            String command = String.join(" ", argv.stream().map(arg -> arg.matches("[A-Za-z0-9_./:=@,+-]+") ? arg
                    : "'" + arg.replace("'", "'\\''") + "'").toList());
            return stdin == null ? command : command + " <<EOF\n" + stdin + (stdin.endsWith("\n") ? "" : "\n") + "EOF";
        }

        @Override
        public void run() throws IOException, InterruptedException {
            output();
        }

        /** Runs it and returns what it printed. */
        public String output() throws IOException, InterruptedException {
            java.nio.file.Path log = java.nio.file.Files.createTempFile("chaos-command", ".log");
            try {
                Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try (var in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                // Bounded like every step: a command stuck on a paused container must not hold the run forever.
                if (!process.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", argv) + " did not end within " + TIMEOUT.toMinutes() + " min");
                }
                String output = java.nio.file.Files.readString(log);
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", argv) + " exited with " + process.exitValue() + ": " + output.strip());
                }
                return output;
            }
            finally {
                java.nio.file.Files.deleteIfExists(log);
            }
        }

        /** The longest any one command may run. */
        static final Duration TIMEOUT = Duration.ofMinutes(5);
    }

    /** An HTTP call to a fault API (Toxiproxy's, the payment-gateway's admin API); a non-2xx answer is a failure. */
    record HttpCall(String method, URI url, String jsonBody, String user, String password, boolean notFoundIsDone) implements Operation {

        public HttpCall(String method, URI url, String jsonBody, String user, String password) {
            this(method, url, jsonBody, user, password, false);
        }

        /** The same call, where a 404 means "already gone" and counts as done (removing a toxic another step removed). */
        public HttpCall whereNotFoundIsDone() {
            return new HttpCall(method, url, jsonBody, user, password, true);
        }

        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        @Override
        public String describe() {
            return method + " " + url + (jsonBody == null ? "" : " " + jsonBody);
        }

        @Override
        public void run() throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
            if (jsonBody != null) {
                request.header("Content-Type", "application/json");
            }
            if (user != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2 && !(notFoundIsDone && response.statusCode() == 404)) {
                throw new IllegalStateException(describe() + " answered " + response.statusCode() + ": " + response.body());
            }
        }
    }

    /** Work done in this JVM (the local target's process control, Kafka admin calls). */
    record Local(String describe, Body body) implements Operation {

        @FunctionalInterface
        public interface Body {
            void run() throws Exception;
        }

        @Override
        public void run() throws Exception {
            body.run();
        }
    }
}
