package dev.sagaplatform.gateway.fault.web;

import dev.sagaplatform.gateway.fault.FaultInjector;
import dev.sagaplatform.gateway.fault.domain.FaultSettings;
import java.security.Principal;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Fault control for chaos experiments; every answer is the settings now in force. */
@RestController
@RequestMapping("/admin/faults")
class FaultController {

    private final FaultInjector injector;

    FaultController(FaultInjector injector) {
        this.injector = injector;
    }

    @GetMapping
    FaultSettings get() {
        return injector.settings();
    }

    @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    FaultSettings update(@RequestBody FaultUpdateBody body, Principal admin) {
        return injector.update(body.toUpdate(), admin.getName());
    }

    @DeleteMapping
    FaultSettings clear(Principal admin) {
        return injector.clear(admin.getName());
    }
}
