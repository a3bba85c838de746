package io.pulse.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A server's TLS identity on disk: a key store file holding one private key and its certificate chain, as a local
 * server ({@link LocalKafkaBroker}, {@link LocalSchemaRegistry}) is given it. The caller makes the file (tests make
 * one per run with {@code io.pulse.testsupport.TestCertificates}); nothing here generates keys.
 *
 * @param location the key store file
 * @param password the key store password
 * @param keyPassword the private key's password (PKCS12 files made by the JDK use the store password)
 * @param type {@code PKCS12} or {@code JKS}
 */
public record KeyStoreFile(Path location, String password, String keyPassword, String type) {

    public KeyStoreFile {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(keyPassword, "keyPassword");
        Objects.requireNonNull(type, "type");
        location = location.toAbsolutePath().normalize();
        if (!Files.isRegularFile(location)) {
            throw new IllegalArgumentException("key store " + location + " is not a readable file");
        }
        if (!type.equalsIgnoreCase("PKCS12") && !type.equalsIgnoreCase("JKS")) {
            throw new IllegalArgumentException("key store type must be PKCS12 or JKS, got " + type);
        }
    }

    /** A PKCS12 key store whose key has the store's password. */
    public static KeyStoreFile pkcs12(Path location, String password) {
        return new KeyStoreFile(location, password, password, "PKCS12");
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "KeyStoreFile[" + type + " " + location + "]";
    }
}
