package dev.sagaplatform.gateway.web;

import java.util.List;

/** Spring Data's paged JSON shape ({@code PagedModel}), shared by every list endpoint of the platform. */
public record PageResponse<T>(List<T> content, PageMetadata page) {

    public record PageMetadata(long size, long number, long totalElements, long totalPages) {
    }

    public static <T> PageResponse<T> of(List<T> content, int page, int size, long totalElements) {
        long totalPages = (totalElements + size - 1) / size;
        return new PageResponse<>(content, new PageMetadata(size, page, totalElements, totalPages));
    }
}
