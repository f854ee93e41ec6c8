package dev.sagaplatform.messaging.ids;

import java.util.UUID;

/**
 * Where new ids (orders, sagas, messages, idempotency tokens) come from. Production draws random UUIDs; the
 * deterministic simulator draws them from its seed, so that a replayed run names everything the same way.
 */
@FunctionalInterface
public interface IdGenerator {

    IdGenerator RANDOM = UUID::randomUUID;

    UUID next();
}
