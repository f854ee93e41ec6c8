package dev.sagaplatform.web.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Compares the admin password by its SHA-256 digest in constant time. BCrypt, Spring Security's default,
 * is built to make a stolen password table slow to crack; here there is no table, the one password comes
 * from the environment and lives in memory anyway, and HTTP Basic sends it with every request, so BCrypt's
 * deliberate ~100 ms of CPU per request bought nothing but cost: an admin call, e.g. {@code ./platform load}
 * creating its customers, spent most of its CPU in BCrypt. What still matters, no timing leak, is kept.
 */
final class DigestPasswordEncoder implements PasswordEncoder {

    @Override
    public String encode(CharSequence rawPassword) {
        return HexFormat.of().formatHex(digest(rawPassword));
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(encodedPassword);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(digest(rawPassword), expected);
    }

    private static byte[] digest(CharSequence text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
