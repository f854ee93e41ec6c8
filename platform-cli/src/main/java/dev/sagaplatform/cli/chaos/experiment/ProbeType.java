package dev.sagaplatform.cli.chaos.experiment;

import static dev.sagaplatform.cli.chaos.experiment.Argument.optional;
import static dev.sagaplatform.cli.chaos.experiment.Argument.required;

import dev.sagaplatform.cli.chaos.experiment.Argument.Kind;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Every kind of measurement an experiment can take. */
public enum ProbeType implements Vocabulary {

    HTTP("http", "call a URL; judged on the status (and a JSON path's value)", Set.of("http-probe", "http-get", "health", "url"),
            required("url", Kind.TEXT, "http://payment-service/health or http://localhost:8082/actuator/health"),
            optional("method", Kind.TEXT, "GET (default), HEAD, POST, PUT or DELETE"),
            optional("expected_status", Kind.STATUSES, "e.g. 200 or [200, 204] (default 200)"),
            optional("json_path", Kind.TEXT, "e.g. $.status: the value judged against 'expected'"),
            optional("expected", Kind.TEXT, "the value at json_path"),
            optional("timeout", Kind.DURATION, "default 5s")),
    METRIC("metric", "evaluate a metric expression from the platform's own metrics, e.g. \"error_rate < 1%\"",
            Set.of("prometheus", "metrics", "promql"),
            required("expression", Kind.TEXT, "e.g. error_rate(payment-service) < 1% or p99_latency < 500ms")),
    SQL("sql", "run a read-only query on a service's database; its first column of the first row is judged",
            Set.of("query", "database", "db"),
            required("query", Kind.TEXT, "e.g. select count(*) from payment where status = 'AUTHORIZED'"),
            optional("expected", Kind.TEXT, "the value, or use min/max")),
    ORDERS("orders", "count orders in a status (order-service's API)", Set.of("order-count", "orders-in-state", "order-state"),
            required("status", Kind.TEXT, "PENDING, APPROVED or REJECTED")),
    SAGAS("sagas", "count orchestrated sagas in a state (saga-orchestrator's API)", Set.of("saga-count", "sagas-in-state", "saga-state"),
            required("state", Kind.TEXT, "STARTED, COMPENSATING, COMPLETED, COMPENSATED or STUCK"));

    /** Arguments every probe may carry to judge a number. */
    public static final List<Argument> NUMBER_TOLERANCE = List.of(
            optional("min", Kind.NUMBER, "the smallest acceptable value"),
            optional("max", Kind.NUMBER, "the largest acceptable value"));

    private final String id;
    private final String describe;
    private final Set<String> aliases;
    private final List<Argument> arguments;

    ProbeType(String id, String describe, Set<String> aliases, Argument... arguments) {
        this.id = id;
        this.describe = describe;
        this.aliases = aliases;
        this.arguments = List.of(arguments);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Set<String> aliases() {
        return aliases;
    }

    public String describe() {
        return describe;
    }

    public List<Argument> arguments() {
        return arguments;
    }

    public static Optional<ProbeType> resolve(String name) {
        return Vocabulary.resolve(values(), name);
    }

    public static List<String> ids() {
        return Vocabulary.ids(values());
    }
}
