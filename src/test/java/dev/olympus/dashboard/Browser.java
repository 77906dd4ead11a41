package dev.olympus.dashboard;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Headless Debian Chromium driven through /usr/bin/chromedriver: nothing is downloaded (Selenium Manager
 * is never consulted because both the driver and the browser binary are given). One browser per test
 * class; a fresh profile in a temporary folder, deleted on close.
 */
public final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("olympus.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("olympus.chromedriver", "/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriverService service;
    public final ChromeDriver driver;

    public Browser(int width, int height) {
        try {
            profile = Files.createTempDirectory("olympus-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
    }

    public WebDriverWait waitUpTo(Duration timeout) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the page redraws what changed
        return wait;
    }

    public <T> T await(ExpectedCondition<T> condition) {
        return waitUpTo(Duration.ofSeconds(15)).until(condition);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    /** Opens the dashboard and signs in with an API key; waits until the board has loaded and is live. */
    public void signIn(String baseUrl, String apiKey) {
        driver.get(baseUrl);
        await(d -> d.findElement(By.id("signin-key")).isDisplayed());
        find("#signin-key").sendKeys(apiKey);
        find("#signin-submit").click();
        awaitBoard();
    }

    /** The board has its first pages and the page follows changes (WebSocket, or a fallback). */
    public void awaitBoard() {
        await(d -> "app".equals(js("return document.body.dataset.page"))
                && !"true".equals(js("return document.getElementById('board').dataset.loading"))
                && java.util.Set.of("live", "polling", "refresh").contains(String.valueOf(js("return document.body.dataset.live"))));
    }

    /** The live feed is the WebSocket, connected. */
    public void awaitWebSocket() {
        await(d -> "live".equals(js("return document.body.dataset.live")) && "ws".equals(js("return document.body.dataset.liveMode")));
    }

    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WebDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
