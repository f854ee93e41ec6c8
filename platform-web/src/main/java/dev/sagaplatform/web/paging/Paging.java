package dev.sagaplatform.web.paging;

import dev.sagaplatform.web.problem.ProblemException;
import dev.sagaplatform.web.problem.ProblemTypes;
import java.util.List;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;

/**
 * The one paging rule of every list endpoint: {@code page} is 0-based, {@code size} from 1 to {@value #MAX_PAGE_SIZE};
 * anything else is a {@code 400 invalid-parameter} naming the parameter, never silently capped. Answers are Spring
 * Data's {@link PagedModel}: {@code {"content":[...],"page":{"size","number","totalElements","totalPages"}}}.
 */
public final class Paging {

    public static final int MAX_PAGE_SIZE = 500;

    private Paging() {
    }

    /** @throws ProblemException {@code 400 invalid-parameter} for a page or size out of range */
    public static Pageable pageable(int page, int size, Sort sort) {
        if (page < 0) {
            throw invalid("page", "must be 0 or more, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw invalid("size", "must be from 1 to " + MAX_PAGE_SIZE + ", was " + size);
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            // Database offsets are ints; past them there can be nothing anyway.
            throw invalid("page", "is beyond the last possible page for size " + size);
        }
        return PageRequest.of(page, size, sort);
    }

    public static Pageable pageable(int page, int size) {
        return pageable(page, size, Sort.unsorted());
    }

    /** A page of a result that was counted apart from its content. */
    public static <T> PagedModel<T> of(List<T> content, Pageable pageable, long totalElements) {
        return new PagedModel<>(new PageImpl<>(content, pageable, totalElements));
    }

    private static ProblemException invalid(String parameter, String message) {
        return ProblemTypes.INVALID_PARAMETER.exception(parameter + " " + message).with("parameter", parameter);
    }
}
