package dev.sagaplatform.cli.faultproxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A proxy as Toxiproxy's HTTP API shows it: {@code {"name", "listen", "upstream", "enabled", "toxics"}}.
 *
 * @param listen   the address it listens on, {@code host:port}; once listening, with the real port
 *                 (an ephemeral {@code :0} is replaced by the port the system chose)
 * @param upstream where it connects to, {@code host:port}
 * @param enabled  false while the proxy is down: it refuses connections
 * @param toxics   the toxics on it, upstream and downstream, in the order they were added
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProxyInfo(String name, String listen, String upstream, boolean enabled, List<Toxic> toxics) {

    public ProxyInfo {
        toxics = toxics == null ? List.of() : List.copyOf(toxics);
    }
}
