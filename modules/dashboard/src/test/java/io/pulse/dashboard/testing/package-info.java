/**
 * Test helpers for browser tests of the dashboard, in test code and shipped as this module's test-jar
 * ({@code pulse-dashboard:tests}, which other modules' tests depend on with {@code <type>test-jar</type>} and
 * {@code <scope>test</scope>}), so that no pipeline class path or image carries them:
 * {@link io.pulse.dashboard.testing.HeadlessChromium} drives Debian's {@code chromium} through {@code chromedriver}
 * (installing both when missing), and {@link io.pulse.dashboard.testing.FakePulseApi} answers the pipeline's dashboard
 * API with canned data that changes over time. {@code HeadlessChromium} needs
 * {@code org.seleniumhq.selenium:selenium-chrome-driver} on the caller's test class path (the test-jar does not bring
 * its dependencies, so each consumer declares it, test scope).
 */
package io.pulse.dashboard.testing;
