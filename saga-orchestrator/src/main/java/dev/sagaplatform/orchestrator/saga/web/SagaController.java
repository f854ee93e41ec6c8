package dev.sagaplatform.orchestrator.saga.web;

import dev.sagaplatform.orchestrator.saga.SagaNotFoundException;
import dev.sagaplatform.orchestrator.saga.SagaOrchestrator;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.persistence.SagaRepository;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator API: look at sagas and their step history, and resume a parked one. */
@RestController
@RequestMapping(path = "/sagas", produces = MediaType.APPLICATION_JSON_VALUE)
class SagaController {

    static final int MAX_PAGE_SIZE = 500;

    private final SagaRepository sagas;
    private final SagaOrchestrator orchestrator;

    SagaController(SagaRepository sagas, SagaOrchestrator orchestrator) {
        this.sagas = sagas;
        this.orchestrator = orchestrator;
    }

    @GetMapping("/{sagaId}")
    SagaView get(@PathVariable UUID sagaId) {
        return view(sagas.find(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId)));
    }

    /** A {@code size} above the maximum is capped, as Spring Data's pageable support does. */
    @GetMapping
    PageResponse<SagaView> list(@RequestParam(required = false) UUID orderId,
                                @RequestParam(required = false) SagaState state,
                                @RequestParam(defaultValue = "0") int page,
                                @RequestParam(defaultValue = "20") int size) {
        if (page < 0) {
            throw new InvalidParameterException("page", "must be 0 or more, was " + page);
        }
        if (size < 1) {
            throw new InvalidParameterException("size", "must be 1 or more, was " + size);
        }
        int pageSize = Math.min(size, MAX_PAGE_SIZE);
        if ((long) page * pageSize > Integer.MAX_VALUE) {
            throw new InvalidParameterException("page", "is beyond the last possible page for size " + pageSize);
        }
        SagaRepository.SagaPage found = sagas.search(orderId, state, page, pageSize);
        Map<UUID, List<HistoryEntry>> history =
                sagas.history(found.content().stream().map(s -> s.saga().id()).toList());
        return PageResponse.of(found.content().stream().map(s -> SagaView.of(s, history.get(s.saga().id()))).toList(),
                page, pageSize, found.totalElements());
    }

    /** Accepted, not done: the re-sent command's reply moves the saga on later. */
    @PostMapping("/{sagaId}/retry")
    @ResponseStatus(HttpStatus.ACCEPTED)
    SagaView retry(@PathVariable UUID sagaId) {
        return view(orchestrator.retry(sagaId));
    }

    private SagaView view(StoredSaga stored) {
        UUID id = stored.saga().id();
        return SagaView.of(stored, sagas.history(List.of(id)).get(id));
    }
}
