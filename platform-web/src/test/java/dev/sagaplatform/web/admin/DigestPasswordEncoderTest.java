package dev.sagaplatform.web.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestPasswordEncoderTest {

    private final DigestPasswordEncoder encoder = new DigestPasswordEncoder();

    @Test
    void matchesOnlyTheSamePassword() {
        String stored = encoder.encode("s3cret");

        assertThat(stored).doesNotContain("s3cret").hasSize(64);
        assertThat(encoder.matches("s3cret", stored)).isTrue();
        assertThat(encoder.matches("s3cret ", stored)).isFalse();
        assertThat(encoder.matches("", stored)).isFalse();
        assertThat(encoder.matches("s3cret", "not hex")).isFalse();
        assertThat(encoder.matches(null, stored)).isFalse();
    }
}
