/**
 * JUnit 5 fixtures shared by Pulse's tests. {@link io.pulse.testsupport.PulseIntegrationTest} tags a class
 * {@code integration} and gives it the real Kafka broker and Schema Registry that
 * {@link io.pulse.testsupport.PulseInfraExtension} starts once per test JVM; {@link io.pulse.testsupport.TestTopics}
 * hands out unique topic names and application ids; {@link io.pulse.testsupport.ListeningSockets} reports what a
 * process really listens on; {@link io.pulse.testsupport.TestCertificates} makes a throwaway CA and a server
 * certificate for 127.0.0.1 for TLS tests; {@link io.pulse.testsupport.FormatStrings} checks help texts meant for
 * {@code String.format}. Modules use this jar in test scope only; it also brings logback and a
 * {@code logback-test.xml} that keeps the in-process broker quiet.
 */
package io.pulse.testsupport;
