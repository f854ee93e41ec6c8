package dev.sagaplatform.orchestrator.saga.domain;

import dev.sagaplatform.contracts.saga.ApproveOrder;
import dev.sagaplatform.contracts.saga.AuthorizePayment;
import dev.sagaplatform.contracts.saga.RefundPayment;
import dev.sagaplatform.contracts.saga.RejectOrder;
import dev.sagaplatform.contracts.saga.ReleaseStock;
import dev.sagaplatform.contracts.saga.ReserveStock;
import dev.sagaplatform.contracts.saga.SagaCommand;

/**
 * The order saga of the orchestrated flow.
 *
 * <p>Forward: authorize the payment, reserve the stock, approve the order. A FAILURE reply or a
 * step timeout turns the saga round: the steps already done are compensated in reverse, and so is the
 * step that timed out, because its effect is unknown and the participants' compensations succeed when
 * there is nothing to undo. Then the order is rejected with the failure's reason (or {@code TIMED_OUT}).
 *
 * <p>Approval is the pivot: an approved order is final in order-service, so once {@code ApproveOrder}
 * is out the saga does not compensate on a timeout but re-sends it until it is answered. Only a
 * FAILURE reply to it (the order was rejected meanwhile) turns the saga round.
 */
public final class OrderSaga {

    public static final SagaDefinition<OrderSagaData> DEFINITION = SagaDefinition.<OrderSagaData>saga("order")
            .step("payment")
                .invoke(OrderSaga::authorizePayment)
                .compensateWith(OrderSaga::refundPayment)
            .step("stock")
                .invoke(OrderSaga::reserveStock)
                .compensateWith(OrderSaga::releaseStock)
            .pivot("approval")
                .invoke(OrderSaga::approveOrder)
            .whenCompensated("rejection", OrderSaga::rejectOrder);

    private OrderSaga() {
    }

    static SagaCommand authorizePayment(CommandContext<OrderSagaData> c) {
        return new AuthorizePayment(c.commandId(), c.sagaId(), c.data().orderId(), c.data().customerId(), c.data().total());
    }

    static SagaCommand refundPayment(CommandContext<OrderSagaData> c) {
        return new RefundPayment(c.commandId(), c.sagaId(), c.data().orderId(), c.data().customerId(), c.data().total());
    }

    static SagaCommand reserveStock(CommandContext<OrderSagaData> c) {
        return new ReserveStock(c.commandId(), c.sagaId(), c.data().orderId(), c.data().items());
    }

    static SagaCommand releaseStock(CommandContext<OrderSagaData> c) {
        return new ReleaseStock(c.commandId(), c.sagaId(), c.data().orderId(), c.data().items());
    }

    static SagaCommand approveOrder(CommandContext<OrderSagaData> c) {
        return new ApproveOrder(c.commandId(), c.sagaId(), c.data().orderId());
    }

    static SagaCommand rejectOrder(CommandContext<OrderSagaData> c) {
        return new RejectOrder(c.commandId(), c.sagaId(), c.data().orderId(), c.reason(), c.reasonDetail());
    }
}
