package dev.sagaplatform.orchestrator.saga.web;

import java.util.List;

/** Spring Data's paged JSON shape ({@code PagedModel}), which every list endpoint of the platform answers. */
record PageResponse<T>(List<T> content, PageMetadata page) {

    record PageMetadata(long size, long number, long totalElements, long totalPages) {
    }

    static <T> PageResponse<T> of(List<T> content, int page, int size, long totalElements) {
        return new PageResponse<>(content, new PageMetadata(size, page, totalElements, (totalElements + size - 1) / size));
    }
}
