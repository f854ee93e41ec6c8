package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The proxies by name and what the API does to them, with Toxiproxy's rules: defaults, validation,
 * error messages and status codes. Request bodies come in as parsed JSON; what goes out is the API's
 * view ({@link ProxyInfo}, {@link Toxic}).
 * <p>
 * One lock for every change: API calls are rare and short, and the proxies' own locks are only ever
 * taken inside it, never the other way round.
 */
final class ProxyRegistry implements AutoCloseable {

    /** 24 days in milliseconds, 2 GB of data: beyond any experiment, and no arithmetic on it can overflow. */
    static final long MAX_ATTRIBUTE = Integer.MAX_VALUE;

    private final ScheduledExecutorService timers;
    private final Consumer<String> events;
    private final Map<String, TcpProxy> proxies = new TreeMap<>();

    ProxyRegistry(ScheduledExecutorService timers, Consumer<String> events) {
        this.timers = timers;
        this.events = events;
    }

    /** What {@code POST /populate} did: the proxies it created or kept, and the error that stopped it, if one did. */
    record PopulateResult(List<ProxyInfo> proxies, ApiException error) {
    }

    synchronized Map<String, ProxyInfo> proxies() {
        Map<String, ProxyInfo> view = new LinkedHashMap<>();
        proxies.forEach((name, proxy) -> view.put(name, proxy.info()));
        return view;
    }

    synchronized ProxyInfo proxy(String name) {
        return find(name).info();
    }

    /** {@code POST /proxies}: {@code name} and {@code upstream} required; {@code enabled} true unless it says false. */
    synchronized ProxyInfo create(JsonNode body) {
        requireObject(body);
        String name = requiredText(body, "name");
        String upstream = Addresses.checkUpstream(requiredText(body, "upstream"));
        String listen = Addresses.normalizeListen(optionalText(body, "listen", Addresses.DEFAULT_LISTEN));
        boolean enabled = optionalBoolean(body, "enabled", true);
        if (proxies.containsKey(name)) {
            throw new ApiException(409, "proxy already exists");
        }
        TcpProxy proxy = start(name, listen, upstream, enabled);
        proxies.put(name, proxy);
        return proxy.info();
    }

    /**
     * {@code POST /populate}: creates each proxy of the array, or replaces the one of that name if its
     * listen or upstream address differs; one with the same addresses is left as it is.
     */
    synchronized PopulateResult populate(JsonNode body) {
        if (body == null || !body.isArray()) {
            throw ApiException.badRequest("bad request body: expected a JSON array of proxies");
        }
        record Wanted(String name, String listen, String upstream, boolean enabled) {
        }
        // Check every entry before creating anything, as Toxiproxy does.
        List<Wanted> wanted = new ArrayList<>();
        int position = 0;
        for (JsonNode entry : body) {
            position++;
            requireObject(entry);
            String name = optionalText(entry, "name", "");
            String upstream = optionalText(entry, "upstream", "");
            if (name.isEmpty()) {
                throw ApiException.badRequest("missing required field: name at proxy " + position);
            }
            if (upstream.isEmpty()) {
                throw ApiException.badRequest("missing required field: upstream at proxy " + position);
            }
            wanted.add(new Wanted(name, Addresses.normalizeListen(optionalText(entry, "listen", Addresses.DEFAULT_LISTEN)),
                    Addresses.checkUpstream(upstream), optionalBoolean(entry, "enabled", true)));
        }
        List<ProxyInfo> result = new ArrayList<>();
        for (Wanted proxy : wanted) {
            TcpProxy existing = proxies.get(proxy.name());
            if (existing != null && existing.listen().equals(proxy.listen()) && existing.upstream().equals(proxy.upstream())) {
                result.add(existing.info());
                continue;
            }
            if (existing != null) {
                existing.disable();
                proxies.remove(proxy.name());
                events.accept("proxy " + proxy.name() + ": replaced");
            }
            try {
                TcpProxy started = start(proxy.name(), proxy.listen(), proxy.upstream(), proxy.enabled());
                proxies.put(proxy.name(), started);
                result.add(started.info());
            }
            catch (ApiException ex) {
                return new PopulateResult(result, ex);
            }
        }
        return new PopulateResult(result, null);
    }

    private TcpProxy start(String name, String listen, String upstream, boolean enabled) {
        TcpProxy proxy = new TcpProxy(name, listen, upstream, timers, events);
        if (enabled) {
            proxy.enable();
        }
        events.accept("proxy " + name + ": created, " + (enabled ? "listening on " + proxy.listen() : "disabled")
                + ", upstream " + upstream);
        return proxy;
    }

    /** {@code POST /proxies/{name}}: fields left out keep their value. */
    synchronized ProxyInfo update(String name, JsonNode body) {
        TcpProxy proxy = find(name);
        requireObject(body);
        String listen = body.has("listen") ? Addresses.normalizeListen(optionalText(body, "listen", proxy.listen())) : proxy.listen();
        String upstream = Addresses.checkUpstream(optionalText(body, "upstream", proxy.upstream()));
        boolean enabled = optionalBoolean(body, "enabled", proxy.isEnabled());
        boolean wasEnabled = proxy.isEnabled();
        String oldListen = proxy.listen();
        String oldUpstream = proxy.upstream();
        proxy.update(listen, upstream, enabled);
        if (!oldListen.equals(proxy.listen()) || !oldUpstream.equals(upstream)) {
            events.accept("proxy " + name + ": now " + proxy.listen() + " -> " + upstream);
        }
        if (wasEnabled != enabled) {
            events.accept("proxy " + name + ": " + (enabled ? "enabled, listening on " + proxy.listen()
                    : "disabled, connections cut and new ones refused"));
        }
        return proxy.info();
    }

    synchronized void delete(String name) {
        find(name).disable();
        proxies.remove(name);
        events.accept("proxy " + name + ": deleted");
    }

    synchronized List<Toxic> toxics(String proxyName) {
        return find(proxyName).info().toxics();
    }

    synchronized Toxic toxic(String proxyName, String toxicName) {
        return findToxic(find(proxyName), toxicName).settings();
    }

    /**
     * {@code POST /proxies/{name}/toxics}: {@code type} required; {@code stream} downstream,
     * {@code toxicity} 1 and every attribute 0 unless given; the name {@code <type>_<stream>} unless given.
     */
    synchronized Toxic addToxic(String proxyName, JsonNode body) {
        TcpProxy proxy = find(proxyName);
        requireObject(body);
        String streamText = optionalText(body, "stream", Direction.DOWNSTREAM.id());
        Direction direction = Direction.parse(streamText)
                .orElseThrow(() -> ApiException.badRequest("stream was invalid, can be either upstream or downstream"));
        String typeId = optionalText(body, "type", "");
        ToxicType type = ToxicType.byId(typeId).orElseThrow(() -> ApiException.badRequest(
                "invalid toxic type '" + typeId + "'; allowed types: " + ToxicType.allowedIds()));
        String name = optionalText(body, "name", "");
        if (name.isEmpty()) {
            name = type.id() + "_" + direction.id();
        }
        double toxicity = toxicity(body, 1.0);
        Map<String, Long> attributes = attributes(type, body.get("attributes"), Map.of());
        InstalledToxic added = proxy.addToxic(new Toxic(name, type.id(), direction.id(), toxicity, attributes), type, direction);
        proxy.report("toxic " + added.describe() + " added");
        return added.settings();
    }

    /** {@code POST /proxies/{name}/toxics/{toxic}}: new attributes (the others keep their value) and toxicity. */
    synchronized Toxic updateToxic(String proxyName, String toxicName, JsonNode body) {
        TcpProxy proxy = find(proxyName);
        InstalledToxic existing = findToxic(proxy, toxicName);
        requireObject(body);
        Toxic settings = existing.settings();
        Toxic changed = new Toxic(settings.name(), settings.type(), settings.stream(), toxicity(body, settings.toxicity()),
                attributes(existing.type(), body.get("attributes"), settings.attributes()));
        InstalledToxic updated = proxy.updateToxic(existing, changed);
        proxy.report("toxic " + updated.describe() + " updated");
        return updated.settings();
    }

    synchronized void removeToxic(String proxyName, String toxicName) {
        TcpProxy proxy = find(proxyName);
        if (!proxy.removeToxic(toxicName)) {
            throw ApiException.toxicNotFound();
        }
        proxy.report("toxic " + toxicName + " removed");
    }

    /** {@code POST /reset}: every proxy enabled, every toxic removed. */
    synchronized void reset() {
        for (TcpProxy proxy : proxies.values()) {
            proxy.enable();
            proxy.removeAllToxics();
        }
        events.accept("reset: every proxy enabled, every toxic removed");
    }

    @Override
    public synchronized void close() {
        proxies.values().forEach(TcpProxy::disable);
        proxies.clear();
    }

    private TcpProxy find(String name) {
        TcpProxy proxy = proxies.get(name);
        if (proxy == null) {
            throw ApiException.proxyNotFound();
        }
        return proxy;
    }

    private static InstalledToxic findToxic(TcpProxy proxy, String toxicName) {
        InstalledToxic toxic = proxy.toxic(toxicName);
        if (toxic == null) {
            throw ApiException.toxicNotFound();
        }
        return toxic;
    }

    /** Every attribute of the type, from {@code given} over {@code base} over 0; 400 naming the allowed ones otherwise. */
    private static Map<String, Long> attributes(ToxicType type, JsonNode given, Map<String, Long> base) {
        Map<String, Long> attributes = new LinkedHashMap<>();
        for (String attribute : type.attributes()) {
            attributes.put(attribute, base.getOrDefault(attribute, 0L));
        }
        if (given == null || given.isNull()) {
            return attributes;
        }
        if (!given.isObject()) {
            throw ApiException.badRequest("bad request body: attributes must be an object; toxic type " + type.id()
                    + " takes: " + type.allowedAttributes());
        }
        for (Map.Entry<String, JsonNode> field : given.properties()) {
            if (!attributes.containsKey(field.getKey())) {
                throw ApiException.badRequest("unknown attribute '" + field.getKey() + "' for toxic type " + type.id()
                        + "; allowed attributes: " + type.allowedAttributes());
            }
            JsonNode value = field.getValue();
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > MAX_ATTRIBUTE) {
                throw ApiException.badRequest("attribute '" + field.getKey() + "' of toxic type " + type.id()
                        + " must be a whole number from 0 to " + MAX_ATTRIBUTE + ", not " + value
                        + "; allowed attributes: " + type.allowedAttributes());
            }
            attributes.put(field.getKey(), value.asLong());
        }
        return attributes;
    }

    private static double toxicity(JsonNode body, double otherwise) {
        JsonNode value = body.get("toxicity");
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1) {
            throw ApiException.badRequest("toxicity must be a number from 0 to 1, not " + value);
        }
        return value.asDouble();
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("bad request body: expected a JSON object");
        }
    }

    private static String requiredText(JsonNode body, String field) {
        String value = optionalText(body, field, "");
        if (value.isEmpty()) {
            throw ApiException.badRequest("missing required field: " + field);
        }
        return value;
    }

    private static String optionalText(JsonNode body, String field, String otherwise) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("bad request body: " + field + " must be a string");
        }
        return value.asText();
    }

    private static boolean optionalBoolean(JsonNode body, String field, boolean otherwise) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw ApiException.badRequest("bad request body: " + field + " must be true or false");
        }
        return value.asBoolean();
    }
}
