package dev.sagaplatform.contracts.saga;

import dev.sagaplatform.contracts.OrderLine;
import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.contracts.saga.SagaReply.Outcome;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SagaReplyTest {

    private final AuthorizePayment authorize = new AuthorizePayment(
            UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "customer-1", new BigDecimal("10.00"));

    @Test
    void successEchoesTheCommandIdsAndNamesTheCommandByItsCatalogName() {
        SagaReply reply = SagaReply.success(authorize);

        assertThat(reply.commandId()).isEqualTo(authorize.commandId());
        assertThat(reply.sagaId()).isEqualTo(authorize.sagaId());
        assertThat(reply.orderId()).isEqualTo(authorize.orderId());
        assertThat(reply.commandType()).isEqualTo(AuthorizePayment.TYPE.name());
        assertThat(reply.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(reply.reason()).isNull();
        assertThat(reply.reasonDetail()).isNull();
    }

    @Test
    void failureCarriesTheReasonForTheOrder() {
        ReserveStock reserve = new ReserveStock(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                List.of(new OrderLine("SKU-1", 3, BigDecimal.ONE)));

        SagaReply reply = SagaReply.failure(reserve, RejectionReason.OUT_OF_STOCK, "SKU-1: 3 requested, 1 available");

        assertThat(reply.commandId()).isEqualTo(reserve.commandId());
        assertThat(reply.commandType()).isEqualTo("ReserveStock");
        assertThat(reply.outcome()).isEqualTo(Outcome.FAILURE);
        assertThat(reply.reason()).isEqualTo(RejectionReason.OUT_OF_STOCK);
        assertThat(reply.reasonDetail()).isEqualTo("SKU-1: 3 requested, 1 available");
    }

    @Test
    void failureWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> SagaReply.failure(authorize, null, "declined"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AuthorizePayment")
                .hasMessageContaining("needs a reason");
    }

    @Test
    void replyToACommandOutsideTheCatalogIsRefused() {
        record UnknownCommand(UUID commandId, UUID sagaId, UUID orderId) implements SagaCommand {
        }

        assertThatThrownBy(() -> SagaReply.success(new UnknownCommand(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in the message catalog");
    }
}
