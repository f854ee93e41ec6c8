package dev.sagaplatform.gateway.fault.domain;

public final class InvalidFaultSettingsException extends IllegalArgumentException {

    InvalidFaultSettingsException(String message) {
        super(message);
    }
}
