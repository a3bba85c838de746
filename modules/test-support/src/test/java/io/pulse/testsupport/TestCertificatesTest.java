package io.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestCertificatesTest {

    @TempDir
    Path dir;

    @Test
    void shouldWriteAServerKeyStoreWhoseChainItsTrustStoreVouchesFor() throws Exception {
        TestCertificates certs = TestCertificates.create(dir);

        KeyStore keys = load(certs.keyStore(), certs.password());
        Certificate[] chain = keys.getCertificateChain(TestCertificates.SERVER_ALIAS);
        assertThat(keys.getKey(TestCertificates.SERVER_ALIAS, certs.password().toCharArray()))
                .isInstanceOf(PrivateKey.class);
        assertThat(chain).containsExactly(certs.serverCertificate(), certs.caCertificate());
        certs.serverCertificate().verify(certs.caCertificate().getPublicKey());

        KeyStore trust = load(certs.trustStore(), certs.password());
        assertThat(List.of(trust.aliases().nextElement())).containsExactly(TestCertificates.CA_ALIAS);
        assertThat(trust.isCertificateEntry(TestCertificates.CA_ALIAS)).isTrue();
        trustManager(trust).checkServerTrusted(x509(chain), "RSA"); // throws if the chain does not validate
    }

    @Test
    void shouldNameLoopbackSoHostVerificationPasses() throws Exception {
        X509Certificate server = TestCertificates.create(dir).serverCertificate();

        // (type 7 = IP address, 2 = DNS name)
        assertThat(server.getSubjectAlternativeNames())
                .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
        assertThat(server.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(server.getBasicConstraints()).isEqualTo(-1); // not a CA
    }

    @Test
    void shouldNotTrustAnotherRunsCertificates() throws Exception {
        TestCertificates ours = TestCertificates.create(dir.resolve("ours"));
        TestCertificates theirs = TestCertificates.create(dir.resolve("theirs"));
        Certificate[] theirChain = load(theirs.keyStore(), theirs.password())
                .getCertificateChain(TestCertificates.SERVER_ALIAS);

        X509TrustManager ourTrust = trustManager(load(ours.trustStore(), ours.password()));

        assertThatThrownBy(() -> ourTrust.checkServerTrusted(x509(theirChain), "RSA"))
                .isInstanceOf(CertificateException.class);
        assertThat(ours.password()).isNotEqualTo(theirs.password());
        assertThat(ours.toString()).doesNotContain(ours.password());
        assertThat(ours.kafkaTrustProperties()).containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.location", ours.trustStore().toString());
    }

    private static KeyStore load(Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static X509TrustManager trustManager(KeyStore trust) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    private static X509Certificate[] x509(Certificate[] chain) {
        X509Certificate[] certificates = new X509Certificate[chain.length];
        for (int i = 0; i < chain.length; i++) {
            certificates[i] = (X509Certificate) chain[i];
        }
        return certificates;
    }
}
