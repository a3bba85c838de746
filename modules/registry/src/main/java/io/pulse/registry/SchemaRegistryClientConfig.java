package io.pulse.registry;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Typed, validated configuration of a registry client, under Confluent's key names so a producer's or consumer's
 * existing properties work unchanged. Keys this class does not know are ignored, so the whole client config map of a
 * Kafka producer or Streams app can be passed in.
 */
public class SchemaRegistryClientConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRIES_WAIT_MS = "retries.wait.ms";
    public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** Credentials from {@value #BASIC_AUTH_USER_INFO}. */
    public static final String SOURCE_USER_INFO = "USER_INFO";
    /** Credentials from the user-info part of the URL, {@code http://user:password@host:8081}. */
    public static final String SOURCE_URL = "URL";

    /** What to tell a user who forgot the URL; shared with the serdes. */
    public static final String MISSING_URL_MESSAGE = "Missing " + SCHEMA_REGISTRY_URL + ": set it to the Schema"
            + " Registry base URL, e.g. http://127.0.0.1:8081 (Apicurio: http://127.0.0.1:8080/apis/ccompat/v7),"
            + " several comma-separated for fail-over, or mock://<scope> for an in-memory registry in tests";

    private static final ConfigDef CONFIG = addClientConfig(new ConfigDef());

    public SchemaRegistryClientConfig(Map<String, ?> props) {
        this(CONFIG, props);
    }

    /** For configs that extend this one (the serde config); {@code definition} must include the client keys. */
    protected SchemaRegistryClientConfig(ConfigDef definition, Map<String, ?> props) {
        // doLog=false: serdes are created per task and thread; logging every config each time drowns the logs
        super(definition, props, false);
        List<String> urls = getList(SCHEMA_REGISTRY_URL);
        if (urls == null || urls.isEmpty() || urls.stream().allMatch(String::isBlank)) {
            throw new ConfigException(MISSING_URL_MESSAGE);
        }
    }

    /** The client's keys; a fresh copy each call. */
    public static ConfigDef configDef() {
        return new ConfigDef(CONFIG);
    }

    /** Adds the client's keys to {@code def} (for configs that embed a client) and returns it. */
    public static ConfigDef addClientConfig(ConfigDef def) {
        return def
                .define(SCHEMA_REGISTRY_URL, Type.LIST, null, Importance.HIGH,
                        "Base URL(s) of the Schema Registry, comma-separated; tried in order when one cannot be"
                                + " reached. May contain a path (Apicurio: http://host:port/apis/ccompat/v7)."
                                + " mock://<scope> selects an in-memory registry shared by all clients of that scope"
                                + " in the JVM.")
                .define(BASIC_AUTH_CREDENTIALS_SOURCE, Type.STRING, SOURCE_USER_INFO,
                        ConfigDef.ValidString.in(SOURCE_USER_INFO, SOURCE_URL), Importance.MEDIUM,
                        "Where HTTP basic-auth credentials come from: USER_INFO (" + BASIC_AUTH_USER_INFO
                                + ") or URL (user:password@ in " + SCHEMA_REGISTRY_URL + ").")
                .define(BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                        "Basic-auth credentials as user:password, used when " + BASIC_AUTH_CREDENTIALS_SOURCE
                                + "=USER_INFO. No Authorization header is sent when unset.")
                .define(MAX_RETRIES, Type.INT, 3, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Retries after a connection failure or an HTTP 5xx/408/429 answer; each retry goes"
                                + " through all URLs again after an exponential backoff with jitter.")
                .define(RETRIES_WAIT_MS, Type.LONG, 100L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Backoff before the first retry; doubles per retry, randomised to between half and all"
                                + " of that so many clients do not retry in lock-step.")
                .define(RETRIES_MAX_WAIT_MS, Type.LONG, 2000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Upper bound of the backoff between retries.")
                .define(REQUEST_TIMEOUT_MS, Type.INT, 10_000, ConfigDef.Range.atLeast(1), Importance.LOW,
                        "Connect and response timeout of one HTTP request.")
                .define(SSL_TRUSTSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                        "Trust store for https URLs; the JDK's default trust store when unset.")
                .define(SSL_TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of the trust store.")
                .define(SSL_TRUSTSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Type of the trust store: JKS or PKCS12.")
                .define(SSL_KEYSTORE_LOCATION, Type.STRING, null, Importance.LOW,
                        "Key store holding the client certificate for mutual TLS; none when unset.")
                .define(SSL_KEYSTORE_PASSWORD, Type.PASSWORD, null, Importance.LOW, "Password of the key store.")
                .define(SSL_KEYSTORE_TYPE, Type.STRING, "JKS", Importance.LOW,
                        "Type of the key store: JKS or PKCS12.")
                .define(SSL_KEY_PASSWORD, Type.PASSWORD, null, Importance.LOW,
                        "Password of the private key; the key store password when unset.");
    }

    /** The configured URLs, trimmed, blanks dropped. */
    public List<String> urls() {
        return getList(SCHEMA_REGISTRY_URL).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The value of a password key, or null. */
    public String passwordValue(String key) {
        Password password = getPassword(key);
        return password == null ? null : password.value();
    }
}
