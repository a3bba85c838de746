/**
 * Test helpers for browser tests of the dashboard, kept in the main jar so any module's tests can use them
 * without a test-jar: {@link io.pulse.dashboard.testing.HeadlessChromium} drives Debian's {@code chromium}
 * through {@code chromedriver} (installing both when missing), and {@link io.pulse.dashboard.testing.FakePulseApi}
 * answers the pipeline's dashboard API with canned data that changes over time. {@code HeadlessChromium} needs
 * {@code org.seleniumhq.selenium:selenium-chrome-driver} on the caller's test class path (an optional
 * dependency of this module, so the pipeline never carries Selenium).
 */
package io.pulse.dashboard.testing;
