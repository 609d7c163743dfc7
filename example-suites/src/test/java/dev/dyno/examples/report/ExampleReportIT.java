package dev.dyno.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.config.DynoAssumptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The example suites' single-file Allure report, opened from {@code file://} in headless Chromium
 * as a reader opens it: three test pages, one per kind of capability, each checked for what a
 * reader looks at first (the verdict and the inline headline chart), for steps that carry their
 * real durations (the timeline), and for a console without errors; and a screenshot of each.
 *
 * <p>It runs after the suites and the report ({@code pre-integration-test}). Without Chromium and
 * its driver it is skipped, or fails where {@code DYNO_REQUIRE_BROWSER=true} or
 * {@code dyno.skips=fail} (CI).
 */
@DisplayName("The example suites' Allure report, in a real browser")
class ExampleReportIT {

    /** Allure 2 shows durations as "1m 28s", "14s 901ms", "3ms", or "0s". */
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|m|s|h)");

    private static WebDriver browser;
    private static final List<String> consoleErrors = new ArrayList<>();

    @BeforeAll
    static void openBrowser() {
        Optional<Path> chromium = onPath("chromium", "chromium-browser", "google-chrome");
        Optional<Path> driver = onPath("chromedriver");
        if (chromium.isEmpty() || driver.isEmpty()) {
            String reason = "needs Chromium and its driver on the PATH (apt-get install chromium chromium-driver); found "
                    + chromium.map(Path::toString).orElse("no browser") + ", " + driver.map(Path::toString).orElse("no driver");
            if ("true".equalsIgnoreCase(System.getenv().getOrDefault("DYNO_REQUIRE_BROWSER", "").strip())) {
                throw new AssertionError(reason + ", and DYNO_REQUIRE_BROWSER=true forbids skipping the browser check");
            }
            DynoAssumptions.abort(reason);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--allow-file-access-from-files", "--disable-background-networking", "--no-first-run");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // The driver named outright: Selenium then has nothing to look up or download.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.get().toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().window().setSize(new Dimension(1440, 1600));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    @DisplayName("the report loads nothing from the internet: no Google tag manager (ALLURE_NO_ANALYTICS, set by ./mvnw)")
    void noAnalytics() throws IOException {
        assertThat(Files.readString(report())).doesNotContain("googletagmanager").doesNotContain("google-analytics");
    }

    private static Path report() {
        return Path.of(System.getProperty("dyno.report.file", "target/site/allure-maven-plugin/index.html"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            cpuboost-loading-time | loading time by workload and boost configuration (the guide's matrix)
            load-stress           | Test 3: stress — 1 req/s up by 3 until the breaking point, which a saturated service must have
            load-agents-spike     | Test 2, from two load agents: the same spike sent by two JVMs, merged into one result
            longtail-ctest-suite  | ctest_suite: the slow integration test first cuts the makespan to the lower bound
            """)
    @DisplayName("a test page opens on its headline, its steps have real durations, and the console stays clean")
    void testPage(String screenshot, String testName) throws IOException {
        Path report = report();
        assertThat(report).as("the single-file report the build renders before this check").isRegularFile();
        browser.get(report.toUri() + "#suites");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.node__leaf")));
        Optional<String> page = browser.findElements(By.cssSelector("a.node__leaf")).stream()
                .filter(a -> a.findElement(By.cssSelector(".node__name")).getAttribute("textContent").strip()
                        .equals(testName))
                .map(a -> a.getAttribute("href")).findFirst();
        if (page.isEmpty()) {
            DynoAssumptions.abort("\"" + testName + "\" is not in this report: its suite did not run in this build");
        }
        browser.get(page.get());
        WebElement description = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(".test-result .description__text")));

        // The headline: the verdict, and the first chart drawn inline (loaded: it has a width).
        assertThat(description.getText()).containsAnyOf("PASSED", "FAILED", "BROKEN");
        WebElement chart = description.findElement(By.cssSelector("img[src^='data:image/png;base64,']"));
        Number width = (Number) ((JavascriptExecutor) browser).executeScript(
                "return arguments[0].complete ? arguments[0].naturalWidth : 0", chart);
        assertThat(width.intValue()).as("the headline chart's width in pixels, once loaded").isPositive();

        // The timeline: every step but a threshold's (an instant by design) took time, and there are some.
        List<String> zero = new ArrayList<>();
        int timed = 0;
        for (WebElement step : browser.findElements(By.cssSelector(".test-result .step__title"))) {
            List<WebElement> names = step.findElements(By.cssSelector(".step__name"));
            if (names.isEmpty()) {
                continue; // a section's header, such as "Test body"
            }
            String name = names.get(0).getAttribute("textContent").strip();
            List<WebElement> time = step.findElements(By.cssSelector(".step-stats__info_time"));
            if (name.startsWith("threshold ")) {
                continue;
            }
            if (time.isEmpty() || millis(time.get(0).getAttribute("textContent")) == 0) {
                zero.add(name);
            } else {
                timed++;
            }
        }
        assertThat(zero).as("steps shown without a duration").isEmpty();
        assertThat(timed).as("steps with their durations").isGreaterThanOrEqualTo(3);

        Path shots = Path.of(System.getProperty("dyno.report.screenshots", "target/report-screenshots"));
        Files.createDirectories(shots);
        byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.write(shots.resolve(screenshot + ".png"), png);

        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                consoleErrors.add(entry.getMessage());
            }
        }
        assertThat(consoleErrors).as("errors in the browser console").isEmpty();
    }

    /** "1m 28s" → 88000; "0s" → 0. */
    static long millis(String shown) {
        Matcher m = DURATION_PART.matcher(shown.strip().toLowerCase(Locale.ROOT));
        long total = 0;
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total += switch (m.group(2)) {
                case "h" -> n * 3_600_000;
                case "m" -> n * 60_000;
                case "s" -> n * 1_000;
                default -> n;
            };
        }
        return total;
    }

    private static Optional<Path> onPath(String... names) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .flatMap(dir -> Arrays.stream(names).map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
