package dev.sagaplatform.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a compose file of this project must be: only keys of the Compose Specification (a typo such
 * as {@code healtcheck} is an error, not a silently ignored key), a health check on every long-running
 * service, every dependency waiting for health (never {@code service_started}), every image pinned.
 */
final class ComposePolicy {

    private static final Set<String> TOP_LEVEL = Set.of("name", "services", "volumes", "networks", "configs", "secrets", "include", "version");

    /** Service attributes of the Compose Specification. */
    private static final Set<String> SERVICE_KEYS = Set.of("annotations", "attach", "blkio_config", "build", "cap_add", "cap_drop",
            "cgroup", "cgroup_parent", "command", "configs", "container_name", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota",
            "cpu_rt_period", "cpu_rt_runtime", "cpu_shares", "cpus", "cpuset", "credential_spec", "depends_on", "deploy", "develop",
            "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "domainname", "driver_opts", "entrypoint", "env_file",
            "environment", "expose", "extends", "external_links", "extra_hosts", "gpus", "group_add", "healthcheck", "hostname", "image",
            "init", "ipc", "isolation", "labels", "label_file", "links", "logging", "mac_address", "mem_limit", "mem_reservation",
            "mem_swappiness", "memswap_limit", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit",
            "platform", "ports", "post_start", "pre_stop", "privileged", "profiles", "pull_policy", "read_only", "restart", "runtime",
            "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls",
            "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts", "volumes", "volumes_from", "working_dir");
    private static final Set<String> HEALTHCHECK_KEYS = Set.of("test", "interval", "timeout", "retries", "start_period",
            "start_interval", "disable");
    private static final Set<String> DEPENDS_ON_KEYS = Set.of("condition", "restart", "required");
    private static final Set<String> BUILD_KEYS = Set.of("context", "dockerfile", "dockerfile_inline", "args", "ssh", "cache_from",
            "cache_to", "additional_contexts", "entitlements", "extra_hosts", "isolation", "labels", "network", "no_cache", "platforms",
            "privileged", "pull", "secrets", "shm_size", "tags", "target", "ulimits");

    /** A version tag (1.2, 17.6-bookworm, 3.9.11-eclipse-temurin-17) or a digest; never latest or a bare major. */
    static final Pattern PINNED = Pattern.compile("^[^:@\\s]+(:(?!latest$)v?\\d+\\.\\d+[\\w.+-]*)?(@sha256:[0-9a-f]{64})?$");

    private ComposePolicy() {
    }

    @SuppressWarnings("unchecked")
    static List<String> violations(Map<String, Object> compose) {
        List<String> problems = new ArrayList<>();
        for (String key : compose.keySet()) {
            if (!TOP_LEVEL.contains(key) && !key.startsWith("x-")) {
                problems.add("unknown top-level key '" + key + "'");
            }
        }
        if (compose.containsKey("version")) {
            problems.add("'version' is obsolete in the Compose Specification");
        }
        Map<String, Object> services = (Map<String, Object>) compose.getOrDefault("services", Map.of());
        if (services.isEmpty()) {
            problems.add("no services");
        }
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = (Map<String, Object>) entry.getValue();
            for (String key : service.keySet()) {
                if (!SERVICE_KEYS.contains(key) && !key.startsWith("x-")) {
                    problems.add(name + ": unknown key '" + key + "'");
                }
            }
            boolean oneShot = "no".equals(String.valueOf(service.get("restart")));
            Object healthcheck = service.get("healthcheck");
            if (healthcheck == null) {
                if (!oneShot) {
                    problems.add(name + ": no healthcheck (a long-running service needs one; a one-shot job says restart: \"no\")");
                }
            }
            else {
                Map<String, Object> check = (Map<String, Object>) healthcheck;
                check.keySet().stream().filter(key -> !HEALTHCHECK_KEYS.contains(key))
                        .forEach(key -> problems.add(name + ": unknown healthcheck key '" + key + "'"));
                if (Boolean.TRUE.equals(check.get("disable")) || !(check.get("test") instanceof List<?> || check.get("test") instanceof String)) {
                    problems.add(name + ": healthcheck has no test");
                }
            }
            Object image = service.get("image");
            Object build = service.get("build");
            if (image == null && build == null) {
                problems.add(name + ": neither image nor build");
            }
            if (image != null && build == null && !PINNED.matcher(image.toString()).matches()) {
                problems.add(name + ": image '" + image + "' is not pinned to a version (or digest)");
            }
            if (image != null && !image.toString().contains(":")) {
                problems.add(name + ": image '" + image + "' has no tag");
            }
            if (build instanceof Map<?, ?> buildMap) {
                buildMap.keySet().stream().filter(key -> !BUILD_KEYS.contains(key))
                        .forEach(key -> problems.add(name + ": unknown build key '" + key + "'"));
            }
            Object dependsOn = service.get("depends_on");
            if (dependsOn instanceof List<?>) {
                problems.add(name + ": depends_on as a list waits only for the start of its dependencies; use conditions");
            }
            else if (dependsOn instanceof Map<?, ?> dependencies) {
                for (Map.Entry<?, ?> dependency : dependencies.entrySet()) {
                    String target = String.valueOf(dependency.getKey());
                    Map<String, Object> spec = dependency.getValue() instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
                    spec.keySet().stream().filter(key -> !DEPENDS_ON_KEYS.contains(key))
                            .forEach(key -> problems.add(name + ": unknown depends_on key '" + key + "'"));
                    Map<String, Object> targetService = (Map<String, Object>) services.get(target);
                    if (targetService == null) {
                        problems.add(name + ": depends on unknown service '" + target + "'");
                        continue;
                    }
                    boolean targetOneShot = "no".equals(String.valueOf(targetService.get("restart")));
                    String wanted = targetOneShot ? "service_completed_successfully" : "service_healthy";
                    if (!wanted.equals(spec.get("condition"))) {
                        problems.add(name + ": depends on " + target + " with condition " + spec.get("condition") + ", not " + wanted);
                    }
                }
            }
        }
        return problems;
    }
}
