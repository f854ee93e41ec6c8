package dev.sagaplatform.payment.payment.web;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.payment.payment.Payment;
import dev.sagaplatform.payment.payment.PaymentRepository;
import dev.sagaplatform.payment.payment.domain.PaymentStatus;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.data.web.PageableDefault;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read-only view of payments, for operators and invariant checks. */
@RestController
class PaymentController {

    private final PaymentRepository payments;

    PaymentController(PaymentRepository payments) {
        this.payments = payments;
    }

    @GetMapping("/payments")
    Page<PaymentView> list(@RequestParam(required = false) String customerId,
                           @PageableDefault(size = 50, sort = "createdAt", direction = Sort.Direction.ASC) Pageable pageable) {
        Page<Payment> page = customerId == null ? payments.findAll(pageable) : payments.findByCustomerId(customerId, pageable);
        return page.map(PaymentView::of);
    }

    @GetMapping("/payments/{orderId}")
    PaymentView get(@PathVariable UUID orderId) {
        return payments.findById(orderId).map(PaymentView::of).orElseThrow(() -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no payment for order " + orderId);
            problem.setType(URI.create("https://saga-platform.dev/problems/unknown-payment"));
            problem.setTitle("Unknown payment");
            return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
        });
    }

    record PaymentView(UUID orderId, String customerId, BigDecimal amount, PaymentStatus status, RejectionReason reason,
                       String reasonDetail, UUID chargeId, Instant createdAt, Instant updatedAt) {
        static PaymentView of(Payment p) {
            return new PaymentView(p.orderId(), p.customerId(), p.amount(), p.status(), p.reason(), p.reasonDetail(),
                    p.chargeId(), p.createdAt(), p.updatedAt());
        }
    }
}
