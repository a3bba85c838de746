package io.pulse.dashboard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * A real headless Chromium (Debian's {@code /usr/bin/chromium}) driven by Debian's {@code /usr/bin/chromedriver}
 * through Selenium, for browser tests. Nothing is downloaded: the driver and browser paths are given to Selenium
 * explicitly, so Selenium Manager never runs, and the browser's background networking (updates, sync, safe
 * browsing, …) is switched off. When either binary is missing, {@link #ensureInstalled()} installs both with
 * {@code apt-get} (as root), or fails saying exactly what to install.
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.start(1280, 800)) {
 *     browser.open(URI.create("http://127.0.0.1:8080/"));
 *     Object title = browser.script("return document.title");
 *     browser.screenshot(Path.of("target/screenshots/overview.png"));
 * }
 * }</pre>
 *
 * <p>Needs {@code org.seleniumhq.selenium:selenium-chrome-driver} on the class path.
 */
public final class HeadlessChromium implements AutoCloseable {

    /** Debian's Chromium. */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Debian's chromedriver (package {@code chromium-driver}), always the same version as {@link #CHROMIUM}. */
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** What to run, as root, when they are missing. */
    public static final String INSTALL_COMMAND =
            "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver";

    private static final String INSTALL_SCRIPT = "/io/pulse/dashboard/testing/install-chromium.sh";
    /** The install script's exit code when it is not run as root. */
    private static final int NOT_ROOT = 77;
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Selenium warns at every start that it has no DevTools bindings for this Chromium's version; nothing here
     * uses them (CDP commands go through chromedriver). Held strongly: java.util.logging keeps loggers weakly.
     */
    private static final java.util.logging.Logger CDP_VERSION_FINDER =
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final Path userDataDir;

    private HeadlessChromium(ChromeDriver driver, Path userDataDir) {
        this.driver = driver;
        this.userDataDir = userDataDir;
    }

    /** Starts a headless Chromium with a {@code width}×{@code height} viewport and a fresh temporary profile. */
    public static HeadlessChromium start(int width, int height) {
        if (width < 100 || height < 100) {
            throw new IllegalArgumentException("window must be at least 100x100, was " + width + "x" + height);
        }
        ensureInstalled();
        // Selenium Manager (which would try to download a driver) runs only when the driver or the browser is
        // unknown: both are given explicitly below, and this covers any code path that looks the driver up.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("pulse-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary Chromium profile", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // root in a container: the setuid sandbox is unavailable
                "--disable-gpu",
                "--disable-dev-shm-usage", // small /dev/shm in containers
                // without these Chromium keeps trying to reach Google's servers (closed network here)
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-default-apps",
                "--disable-domain-reliability",
                "--disable-client-side-phishing-detection",
                "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
                "--metrics-recording-only",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--hide-scrollbars",
                "--force-device-scale-factor=1",
                "--lang=en-US",
                "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            // --window-size includes the (invisible) browser UI in new headless mode: pin the viewport itself
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                    Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
            return new HeadlessChromium(driver, profile);
        } catch (RuntimeException e) {
            service.stop();
            deleteRecursively(profile);
            throw e;
        }
    }

    /**
     * Makes sure {@link #CHROMIUM} and {@link #CHROMEDRIVER} exist, installing Debian's {@code chromium} and
     * {@code chromium-driver} packages with {@code apt-get} when either is missing (needs root and the Debian
     * mirrors). Fails with the command to run when it cannot install them itself.
     */
    public static synchronized void ensureInstalled() {
        if (isInstalled()) {
            return;
        }
        Path script = null;
        Path log = null;
        try {
            script = Files.createTempFile("install-chromium-", ".sh");
            log = Files.createTempFile("install-chromium-", ".log");
            try (InputStream in = HeadlessChromium.class.getResourceAsStream(INSTALL_SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + INSTALL_SCRIPT);
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder("sh", script.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("installing Chromium took longer than " + INSTALL_TIMEOUT
                        + "; run as root: " + INSTALL_COMMAND);
            }
            if (process.exitValue() == NOT_ROOT) {
                throw new IllegalStateException("Headless browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + ", which are missing, and only root can install them. Run as root: " + INSTALL_COMMAND);
            }
            if (process.exitValue() != 0 || !isInstalled()) {
                throw new IllegalStateException("installing Chromium failed (exit " + process.exitValue()
                        + "); run as root: " + INSTALL_COMMAND + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the Chromium installer; run as root: " + INSTALL_COMMAND, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Chromium", e);
        } finally {
            deleteQuietly(script);
            deleteQuietly(log);
        }
    }

    /** Whether both Debian binaries are present and executable. */
    public static boolean isInstalled() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** Loads {@code uri} and waits for its {@code load} event. */
    public void open(URI uri) {
        driver.get(uri.toString());
    }

    /**
     * Runs {@code javaScript} as the body of a function in the current page and returns what it returns
     * (numbers as {@link Long} or {@link Double}, arrays as {@link List}, objects as {@link Map}).
     */
    public Object script(String javaScript, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(javaScript, args);
    }

    /** Saves what the window shows as a PNG, creating parent directories; returns {@code file}. */
    public Path screenshot(Path file) {
        return writePng(file, driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    }

    /** Saves the whole page, beyond the window's height, as a PNG (Chromium's DevTools capture). */
    public Path fullPageScreenshot(Path file) {
        Map<String, Object> result = driver.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true));
        return writePng(file, Base64.getDecoder().decode((String) result.get("data")));
    }

    /** The browser console's messages since the last call (JavaScript errors, failed requests, logs). */
    public List<String> consoleMessages() {
        List<String> messages = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            messages.add(entry.getLevel() + " " + entry.getMessage());
        }
        return messages;
    }

    /** The Selenium driver, for anything this class does not wrap. */
    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteRecursively(userDataDir);
        }
    }

    private static Path writePng(Path file, byte[] png) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write screenshot " + file, e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no installer log: " + e.getMessage() + ")";
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(HeadlessChromium::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // Chromium may still be writing to its profile while it exits; the OS cleans temp eventually
        }
    }
}
