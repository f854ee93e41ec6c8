package dev.sagaplatform.orchestrator.saga.web;

import dev.sagaplatform.orchestrator.saga.SagaNotFoundException;
import dev.sagaplatform.orchestrator.saga.SagaOrchestrator;
import dev.sagaplatform.orchestrator.saga.domain.HistoryEntry;
import dev.sagaplatform.orchestrator.saga.domain.SagaState;
import dev.sagaplatform.orchestrator.saga.persistence.SagaRepository;
import dev.sagaplatform.orchestrator.saga.persistence.StoredSaga;
import dev.sagaplatform.web.paging.Paging;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.Pageable;
import org.springframework.data.web.PagedModel;
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

    private final SagaRepository sagas;
    private final SagaOrchestrator orchestrator;

    SagaController(SagaRepository sagas, SagaOrchestrator orchestrator) {
        this.sagas = sagas;
        this.orchestrator = orchestrator;
    }

    @ApiResponse(responseCode = "200", description = "the saga and its step history", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "saga-not-found")
    @GetMapping("/{sagaId}")
    SagaView get(@PathVariable UUID sagaId) {
        return view(sagas.find(sagaId).orElseThrow(() -> new SagaNotFoundException(sagaId)));
    }

    /** Paged as every list of the platform (platform-web {@link Paging}): a {@code size} above 500 is a 400. */
    @GetMapping
    PagedModel<SagaView> list(@RequestParam(required = false) UUID orderId,
                              @RequestParam(required = false) SagaState state,
                              @RequestParam(defaultValue = "0") int page,
                              @RequestParam(defaultValue = "20") int size) {
        Pageable pageable = Paging.pageable(page, size);
        SagaRepository.SagaPage found = sagas.search(orderId, state, pageable.getPageNumber(), pageable.getPageSize());
        Map<UUID, List<HistoryEntry>> history =
                sagas.history(found.content().stream().map(s -> s.saga().id()).toList());
        return Paging.of(found.content().stream().map(s -> SagaView.of(s, history.get(s.saga().id()))).toList(),
                pageable, found.totalElements());
    }

    /** Accepted, not done: the re-sent command's reply moves the saga on later. */
    @ApiResponse(responseCode = "202", description = "resumed; the re-sent command's reply moves it on", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "saga-not-found")
    @ApiResponse(responseCode = "409", description = "saga-not-stuck or concurrent-update")
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
