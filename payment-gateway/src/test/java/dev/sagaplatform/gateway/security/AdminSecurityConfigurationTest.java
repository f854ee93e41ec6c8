package dev.sagaplatform.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

@ExtendWith(OutputCaptureExtension.class)
class AdminSecurityConfigurationTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @Test
    void usesTheConfiguredPassword() {
        UserDetails admin = new AdminSecurityConfiguration().adminUser(new AdminProperties("ops", "s3cret")).loadUserByUsername("ops");

        assertThat(encoder.matches("s3cret", admin.getPassword())).isTrue();
        assertThat(admin.getAuthorities()).extracting(Object::toString).containsExactly("ROLE_ADMIN");
    }

    @Test
    void generatesAPasswordWhenNoneIsSetAndLogsItOnce(CapturedOutput output) {
        UserDetails admin = new AdminSecurityConfiguration().adminUser(new AdminProperties("admin", "")).loadUserByUsername("admin");

        Matcher logged = Pattern.compile("WARN.*generated admin password for user 'admin': (\\S+)").matcher(output.getOut());
        assertThat(logged.find()).as(output.getOut()).isTrue();
        assertThat(logged.group(1)).hasSizeGreaterThanOrEqualTo(20);
        assertThat(encoder.matches(logged.group(1), admin.getPassword())).isTrue();
        assertThat(logged.find()).isFalse();
    }
}
