package io.pulse.registry.internal;

import io.pulse.registry.SchemaRegistryClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/** Builds the HttpClient's SSLContext from the {@code schema.registry.ssl.*} keys. */
public final class SslContexts {

    private SslContexts() {
    }

    /** Empty when neither store is configured: the JDK defaults then apply to https URLs. */
    public static Optional<SSLContext> fromConfig(SchemaRegistryClientConfig config) {
        String trustLocation = config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
        String keyLocation = config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION);
        if (isBlank(trustLocation) && isBlank(keyLocation)) {
            return Optional.empty();
        }
        try {
            TrustManager[] trustManagers = null;
            if (!isBlank(trustLocation)) {
                KeyStore trustStore = load(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION, trustLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE),
                        config.passwordValue(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD));
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore);
                trustManagers = tmf.getTrustManagers();
            }
            KeyManager[] keyManagers = null;
            if (!isBlank(keyLocation)) {
                String storePassword = config.passwordValue(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD);
                String keyPassword = config.passwordValue(SchemaRegistryClientConfig.SSL_KEY_PASSWORD);
                KeyStore keyStore = load(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION, keyLocation,
                        config.getString(SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE), storePassword);
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, chars(keyPassword != null ? keyPassword : storePassword));
                keyManagers = kmf.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot set up TLS for the Schema Registry client from the "
                    + "schema.registry.ssl.* settings: " + e.getMessage());
        }
    }

    private static KeyStore load(String key, String location, String type, String password)
            throws GeneralSecurityException {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, chars(password));
            return store;
        } catch (IOException e) {
            throw new ConfigException(key, location, "cannot read " + type + " store: " + e.getMessage());
        }
    }

    private static char[] chars(String password) {
        return password == null ? null : password.toCharArray();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
