package dev.sagaplatform.inventory.stock.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sagaplatform.contracts.RejectionReason;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Rejected;
import dev.sagaplatform.inventory.stock.domain.ReservationDecision.Reserved;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReservationRulesTest {

    private static final List<StockLevel> STOCK = List.of(
            new StockLevel("SKU-APPLE", 10), new StockLevel("SKU-BOOK", 2), new StockLevel("SKU-PEN", 0));

    @Nested
    class Decide {

        @Test
        void reservesEveryLineWhenEachFits() {
            var decision = ReservationRules.decide(List.of(line("SKU-BOOK", 2), line("SKU-APPLE", 3)), STOCK);

            assertThat(decision).isEqualTo(new Reserved(List.of(line("SKU-APPLE", 3), line("SKU-BOOK", 2))));
        }

        @Test
        void sumsLinesOfTheSameSkuBeforeComparing() {
            var decision = ReservationRules.decide(List.of(line("SKU-BOOK", 1), line("SKU-BOOK", 2)), STOCK);

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK,
                    "SKU-BOOK short by 1 (requested 3, available 2)"));
        }

        @Test
        void reservesSummedLinesAsOneLinePerSku() {
            var decision = ReservationRules.decide(List.of(line("SKU-APPLE", 4), line("SKU-APPLE", 6)), STOCK);

            assertThat(decision).isEqualTo(new Reserved(List.of(line("SKU-APPLE", 10))));
        }

        @Test
        void rejectsTheWholeOrderWhenOneLineIsShortNamingThatSkuAndTheShortfall() {
            var decision = ReservationRules.decide(List.of(line("SKU-APPLE", 1), line("SKU-BOOK", 5)), STOCK);

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK,
                    "SKU-BOOK short by 3 (requested 5, available 2)"));
        }

        @Test
        void namesTheFirstShortSkuInTheOrdersLineOrder() {
            var decision = ReservationRules.decide(List.of(line("SKU-PEN", 1), line("SKU-BOOK", 5)), STOCK);

            assertThat(((Rejected) decision).detail()).startsWith("SKU-PEN short by 1");
        }

        @Test
        void rejectsAnUnknownSku() {
            var decision = ReservationRules.decide(List.of(line("SKU-APPLE", 1), line("SKU-GHOST", 1)), STOCK);

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK, "unknown sku SKU-GHOST"));
        }

        @Test
        void rejectsANonPositiveQuantityInsteadOfFailingTheMessage() {
            var decision = ReservationRules.decide(List.of(line("SKU-APPLE", 0)), STOCK);

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK, "invalid quantity 0 for sku SKU-APPLE"));
        }

        @Test
        void takesExactlyTheLastUnits() {
            var decision = ReservationRules.decide(List.of(line("SKU-BOOK", 2)), STOCK);

            assertThat(decision).isInstanceOf(Reserved.class);
        }

        @Test
        void anOrderWithoutLinesReservesNothingAndSucceeds() {
            assertThat(ReservationRules.decide(List.of(), STOCK)).isEqualTo(new Reserved(List.of()));
        }
    }

    @Nested
    class Replay {

        @Test
        void aReservedOrderIsAnsweredWithItsStoredLines() {
            var decision = ReservationRules.replay(ReservationStatus.RESERVED, List.of(line("SKU-APPLE", 2)), null, null);

            assertThat(decision).isEqualTo(new Reserved(List.of(line("SKU-APPLE", 2))));
        }

        @Test
        void aRejectedOrderIsAnsweredWithItsStoredReason() {
            var decision = ReservationRules.replay(ReservationStatus.REJECTED, List.of(),
                    RejectionReason.OUT_OF_STOCK, "unknown sku X");

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK, "unknown sku X"));
        }

        @Test
        void aReleasedOrderIsRejectedSoALateReserveTakesNoStock() {
            var decision = ReservationRules.replay(ReservationStatus.RELEASED, List.of(), null, null);

            assertThat(decision).isEqualTo(new Rejected(RejectionReason.OUT_OF_STOCK,
                    "stock of this order was already released"));
        }
    }

    @Nested
    class Release {

        @Test
        void aReservedOrderGetsItsStockBack() {
            assertThat(ReservationRules.release(Optional.of(ReservationStatus.RESERVED))).isEqualTo(ReleaseAction.RETURN_STOCK);
        }

        @Test
        void aReleaseBeforeAnyReservationLeavesATombstone() {
            assertThat(ReservationRules.release(Optional.empty())).isEqualTo(ReleaseAction.RECORD_TOMBSTONE);
        }

        @Test
        void aReleasedOrRejectedOrderHasNothingToGiveBack() {
            assertThat(ReservationRules.release(Optional.of(ReservationStatus.RELEASED))).isEqualTo(ReleaseAction.NOTHING);
            assertThat(ReservationRules.release(Optional.of(ReservationStatus.REJECTED))).isEqualTo(ReleaseAction.NOTHING);
        }
    }

    private static RequestedLine line(String sku, int quantity) {
        return new RequestedLine(sku, quantity);
    }
}
