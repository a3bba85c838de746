package io.pulse.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority and a server certificate it signed, made when a test runs (no key is ever checked
 * in), written as PKCS12 files: a <em>key store</em> for the server (its private key and the chain server → CA) and a
 * <em>trust store</em> for clients (the CA certificate alone).
 *
 * <p>The server certificate names {@code 127.0.0.1} (IP SAN) and {@code localhost} (DNS SAN), so clients keep host
 * name verification on, as in production: Kafka's {@code ssl.endpoint.identification.algorithm=https} default and the
 * JDK's HTTPS client both check it.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);
 * broker.tls(certs.keyStore(), certs.password());           // the server side
 * props.put("ssl.truststore.location", certs.trustStore());  // the client side
 * props.put("ssl.truststore.password", certs.password());
 * props.put("ssl.truststore.type", "PKCS12");
 * }</pre>
 *
 * <p>Keys are RSA 2048 from the JDK's {@link SecureRandom}: security material is not seeded, and no test outcome
 * depends on its bytes. Signing uses the JDK's own providers; BouncyCastle only assembles the X.509 structures, which
 * the JDK has no public API for.
 *
 * @param directory where the files are
 * @param keyStore the server's PKCS12 key store: alias {@value #SERVER_ALIAS}, chain server → CA
 * @param trustStore the clients' PKCS12 trust store: the CA certificate under alias {@value #CA_ALIAS}
 * @param password the password of both stores and of the server key
 * @param caCertificate the CA certificate
 * @param serverCertificate the server certificate
 */
public record TestCertificates(Path directory, Path keyStore, Path trustStore, String password,
        X509Certificate caCertificate, X509Certificate serverCertificate) {

    /** The store type of both files. */
    public static final String STORE_TYPE = "PKCS12";
    /** Alias of the server's key entry in the key store. */
    public static final String SERVER_ALIAS = "server";
    /** Alias of the CA certificate in the trust store. */
    public static final String CA_ALIAS = "ca";

    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final Duration VALIDITY = Duration.ofDays(2);
    /** Clocks of test machines drift a little; a certificate valid from a minute ago is valid now everywhere. */
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    public TestCertificates {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(serverCertificate, "serverCertificate");
    }

    /**
     * Makes a new CA and a server certificate for 127.0.0.1/localhost and writes {@code server.p12} and
     * {@code truststore.p12} into {@code directory} (created if needed), both protected by a random password.
     */
    public static TestCertificates create(Path directory) {
        return create(directory, randomPassword());
    }

    /** As {@link #create(Path)}, with the given store password. */
    public static TestCertificates create(Path directory, String password) {
        Objects.requireNonNull(password, "password");
        try {
            Files.createDirectories(directory);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            KeyPair ca = generator.generateKeyPair();
            KeyPair server = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate caCert = caCertificate(ca, now);
            X509Certificate serverCert = serverCertificate(server.getPublic(), caCert, ca.getPrivate(), now);

            Path keyStore = directory.resolve("server.p12");
            KeyStore keys = emptyStore();
            keys.setKeyEntry(SERVER_ALIAS, server.getPrivate(), password.toCharArray(),
                    new Certificate[] {serverCert, caCert});
            write(keys, keyStore, password);

            Path trustStore = directory.resolve("truststore.p12");
            KeyStore trusted = emptyStore();
            trusted.setCertificateEntry(CA_ALIAS, caCert);
            write(trusted, trustStore, password);

            return new TestCertificates(directory, keyStore, trustStore, password, caCert, serverCert);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write test certificates to " + directory, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("could not make test certificates: " + e, e);
        }
    }

    /**
     * The client-side trust settings for Kafka clients: {@code ssl.truststore.location}, {@code .password},
     * {@code .type}.
     */
    public Map<String, String> kafkaTrustProperties() {
        return Map.of(
                "ssl.truststore.location", trustStore.toString(),
                "ssl.truststore.password", password,
                "ssl.truststore.type", STORE_TYPE);
    }

    private static X509Certificate caCertificate(KeyPair ca, Instant now)
            throws GeneralSecurityException, OperatorCreationException, CertIOException {
        X500Name name = new X500Name("CN=Pulse Test CA " + now.toEpochMilli());
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, ca.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        extensions.createSubjectKeyIdentifier(ca.getPublic()));
        return sign(builder, ca.getPrivate());
    }

    private static X509Certificate serverCertificate(PublicKey server, X509Certificate caCert, PrivateKey caKey,
            Instant now) throws GeneralSecurityException, OperatorCreationException, CertIOException {
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        GeneralNames names = new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
            new GeneralName(GeneralName.dNSName, "localhost"),
        });
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCert, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), new X500Name("CN=localhost"), server)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                            KeyPurposeId.id_kp_clientAuth}))
                .addExtension(Extension.subjectAlternativeName, false, names)
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(server))
                .addExtension(Extension.authorityKeyIdentifier, false,
                        extensions.createAuthorityKeyIdentifier(caCert));
        return sign(builder, caKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException, OperatorCreationException {
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(signer)));
        certificate.checkValidity();
        return certificate;
    }

    private static BigInteger serial() {
        // positive, at most 20 bytes (RFC 5280), unique enough for certificates that live for one test run
        return new BigInteger(64, new SecureRandom()).add(BigInteger.ONE);
    }

    private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(STORE_TYPE);
        store.load(null, null);
        return store;
    }

    private static void write(KeyStore store, Path file, String password)
            throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TestCertificates[keyStore=" + keyStore + ", trustStore=" + trustStore + ", ca="
                + caCertificate.getSubjectX500Principal() + "]";
    }
}
