package io.pulse.infra.internal;

import io.pulse.infra.InfraException;
import io.pulse.infra.KeyStoreFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** The server side of TLS for the local servers Pulse runs on the JDK's HTTP server. */
public final class ServerTls {

    private ServerTls() {
    }

    /**
     * An {@link SSLContext} that presents the key store's key and certificate chain and asks clients for no
     * certificate.
     *
     * @throws InfraException if the file cannot be read or opened with the given passwords
     */
    public static SSLContext context(KeyStoreFile keyStore) {
        try (InputStream in = Files.newInputStream(keyStore.location())) {
            KeyStore store = KeyStore.getInstance(keyStore.type());
            store.load(in, keyStore.password().toCharArray());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, keyStore.keyPassword().toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new InfraException("cannot use " + keyStore + " for TLS: " + e.getMessage(), e);
        }
    }
}
