package io.pulse.registry;

/**
 * The TLS handshake with the registry failed on every configured URL: its certificate is not trusted (no chain to a
 * CA in {@code schema.registry.ssl.truststore.location}, or the JDK's default trust store when that is unset), does
 * not name the host of the URL, or client and server share no protocol. Not retried: waiting does not fix a
 * certificate. Still a kind of {@link SchemaRegistryUnavailableException}, because it is not the fault of the data
 * being (de)serialized: a consumer should stop and be reconfigured, not dead-letter good records.
 */
public class SchemaRegistryTlsException extends SchemaRegistryUnavailableException {

    public SchemaRegistryTlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
