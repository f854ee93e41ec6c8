package dev.sagaplatform.testsupport;

/** A running Kafka broker, whichever backend started it. */
interface KafkaServer extends AutoCloseable {

    String bootstrapServers();

    @Override
    void close();
}
