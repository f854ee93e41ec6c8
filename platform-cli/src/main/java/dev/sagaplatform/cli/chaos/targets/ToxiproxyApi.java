package dev.sagaplatform.cli.chaos.targets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sagaplatform.cli.chaos.experiment.Services;
import dev.sagaplatform.cli.chaos.targets.ChaosTarget.Toxic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Network faults as calls to Toxiproxy's HTTP API — the local platform's fault proxy speaks it, and so does
 * compose's Toxiproxy container — on the proxy of one path: locally one per service and peer, named
 * {@code <service>-to-<peer>}; in compose one per peer, shared by every service.
 */
public final class ToxiproxyApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The name of the proxy that carries a service's traffic to a peer. */
    @FunctionalInterface
    public interface ProxyNames {
        /** @return null when no proxy carries that path */
        String of(String service, String peer);

        /**
         * Every proxy that carries a service's traffic to a peer: more than one where the peer runs several instances,
         * each behind a path of its own (the local platform with {@code up --replicas}). A fault on the path between two
         * services applies to all of them, so an experiment keeps its meaning whatever the replica counts.
         */
        default List<String> all(String service, String peer) {
            String name = of(service, peer);
            return name == null ? List.of() : List.of(name);
        }
    }

    private final URI api;
    private final String user;
    private final String password;
    private final ProxyNames names;

    /** @param user null for a Toxiproxy without authentication */
    public ToxiproxyApi(URI api, String user, String password, ProxyNames names) {
        this.api = api;
        this.user = user;
        this.password = password;
        this.names = names;
    }

    public Operation addToxic(String service, String peer, Toxic toxic) {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", toxic.name());
        body.put("type", toxic.type());
        body.put("stream", toxic.stream());
        body.put("toxicity", toxic.toxicity());
        ObjectNode attributes = body.putObject("attributes");
        toxic.attributes().forEach((key, value) -> attributes.set(key, JSON.valueToTree(value)));
        return Operation.sequence(proxies(service, peer).stream().map(proxy -> (Operation) call("POST", "/proxies/" + proxy + "/toxics",
                body.toString())).toList());
    }

    /** Tried on every instance path of the pair even when one call fails: an undo must not leave the toxic on the others. */
    public Operation removeToxic(String service, String peer, String toxicName) {
        return Operation.all(proxies(service, peer).stream().map(proxy -> (Operation) call("DELETE", "/proxies/" + proxy
                + "/toxics/" + toxicName, null).whereNotFoundIsDone()).toList());
    }

    /** On every instance path of the pair, each tried even when another fails (enabling them again is an undo). */
    public Operation enable(String service, String peer, boolean enabled) {
        return Operation.all(proxies(service, peer).stream().map(proxy -> (Operation) call("POST", "/proxies/" + proxy,
                "{\"enabled\":" + enabled + "}")).toList());
    }

    /** Every proxy enabled and every toxic gone ({@code POST /reset}), or only those of one service's paths. */
    public Operation heal(String service) {
        if (service == null) {
            return call("POST", "/reset", null);
        }
        List<String> proxies = Services.PEERS.getOrDefault(service, List.of()).stream().flatMap(peer -> names.all(service, peer).stream())
                .distinct().toList();
        return new Operation.Local("heal " + String.join(", ", proxies) + " (enable, delete every toxic) at " + api, () -> {
            for (String proxy : proxies) {
                call("POST", "/proxies/" + proxy, "{\"enabled\":true}").run();
                String toxics = get("/proxies/" + proxy + "/toxics");
                for (var toxic : JSON.readTree(toxics)) {
                    call("DELETE", "/proxies/" + proxy + "/toxics/" + toxic.path("name").asText(), null).run();
                }
            }
        });
    }

    /** The proxies the API knows, by name. */
    public List<String> proxies() throws Exception {
        List<String> names = new ArrayList<>();
        JSON.readTree(get("/proxies")).fieldNames().forEachRemaining(names::add);
        return names;
    }

    private List<String> proxies(String service, String peer) {
        List<String> all = names.all(service, peer);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no proxy carries " + service + " -> " + peer + " on this target");
        }
        return all;
    }

    private Operation.HttpCall call(String method, String path, String body) {
        return new Operation.HttpCall(method, api.resolve(path), body, user, password);
    }

    private String get(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + api.resolve(path) + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

}
