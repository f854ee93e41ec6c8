package dev.sagaplatform.payment.payment.web;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.payment.payment.Payment;
import dev.sagaplatform.payment.payment.PaymentRepository;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import dev.sagaplatform.web.paging.Paging;
import dev.sagaplatform.web.problem.ProblemType;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PagedModel;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only view of payments, for operators and invariant checks. */
@RestController
class PaymentController {

    static final ProblemType UNKNOWN_PAYMENT = ProblemType.of("unknown-payment", HttpStatus.NOT_FOUND, "Unknown payment");

    private final PaymentRepository payments;

    PaymentController(PaymentRepository payments) {
        this.payments = payments;
    }

    @GetMapping("/payments")
    PagedModel<PaymentView> list(@RequestParam(required = false) String customerId,
                                 @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        Pageable pageable = Paging.pageable(page, size, Sort.by("createdAt"));
        Page<Payment> found = customerId == null ? payments.findAll(pageable) : payments.findByCustomerId(customerId, pageable);
        return new PagedModel<>(found.map(PaymentView::of));
    }

    @ApiResponse(responseCode = "200", description = "the payment", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "404", description = "unknown-payment")
    @GetMapping("/payments/{orderId}")
    PaymentView get(@PathVariable UUID orderId) {
        return payments.findById(orderId).map(PaymentView::of)
                .orElseThrow(() -> UNKNOWN_PAYMENT.exception("no payment for order " + orderId));
    }

    record PaymentView(UUID orderId, String customerId, BigDecimal amount, PaymentStatus status, RejectionReason reason,
                       String reasonDetail, UUID chargeId, Instant createdAt, Instant updatedAt) {
        static PaymentView of(Payment p) {
            return new PaymentView(p.orderId(), p.customerId(), p.amount(), p.status(), p.reason(), p.reasonDetail(),
                    p.chargeId(), p.createdAt(), p.updatedAt());
        }
    }
}
