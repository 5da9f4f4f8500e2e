package org.mcq.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's chromium, headless, driven through its chromedriver,
 * nothing downloaded): a queue filled over memcache shows with its depth, the page follows as
 * messages arrive, a queue's first messages show, and purging it from the page empties it for
 * memcache clients too; an import from another server (the shared one) started from the page's
 * form shows its progress and moves the messages. Screenshots go to target/dashboard*.png.
 */
@ExtendWith(SharedServer.class)
class DashboardIT {

    private static final String PASSWORD = "it-dashboard-secret";
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void theDashboardShowsFollowsAndPurgesAQueueMadeOverMemcache() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        try (LibertyServer server = LibertyServer.start("dashboard", Map.of("MCQ_ADMIN_PASSWORD", PASSWORD));
             MemcacheClient memcache = server.client()) {
            for (int i = 1; i <= 3; i++) {
                assertEquals("STORED", memcache.set("mail/outbox", "message <" + i + "> & more"));
            }
            assertEquals("STORED", memcache.set("other", "x"));
            WebDriver browser = browser();
            try {
                browser.get("http://admin:" + PASSWORD + "@127.0.0.1:" + server.httpPort() + "/");
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                By depth = By.cssSelector("#queues tr[data-queue='mail/outbox'] td.messages");
                wait.until(ExpectedConditions.textToBe(depth, "3"));
                assertEquals("2", browser.findElement(By.id("f-queues")).getText(), "queues");

                assertEquals("STORED", memcache.set("mail/outbox", "message <4> & more"));
                assertEquals("STORED", memcache.set("mail/outbox", "message <5> & more"));
                wait.until(ExpectedConditions.textToBe(depth, "5")); // the page polls: no reload

                browser.findElement(By.cssSelector("#queues tr[data-queue='mail/outbox']")).click();
                wait.until(ExpectedConditions.textToBe(By.id("detail-name"), "mail/outbox"));
                By previews = By.cssSelector("#messages tbody td.preview");
                wait.until(ExpectedConditions.numberOfElementsToBe(previews, 5));
                List<WebElement> shown = browser.findElements(previews);
                assertEquals("message <1> & more", shown.get(0).getText(), "shown as text, not as markup");
                // the queue's chart fills as the page polls (every 2 s)
                wait.until(driver -> ((Number) ((JavascriptExecutor) driver).executeScript(
                        "return Chart.getChart('chart-queue').data.labels.length")).intValue() >= 3);
                screenshot(browser, "dashboard.png");

                browser.findElement(By.id("purge")).click();
                wait.until(ExpectedConditions.alertIsPresent()).accept(); // the confirmation
                wait.until(ExpectedConditions.textToBe(depth, "0"));
                wait.until(ExpectedConditions.numberOfElementsToBe(previews, 0));
                assertNull(memcache.get("mail/outbox"), "purged for memcache clients too");
                assertEquals("x", memcache.getText("other"), "other queues untouched");

                browser.findElement(By.id("search")).sendKeys("mail");
                wait.until(driver -> driver.findElements(By.cssSelector("#queues tbody tr")).size() == 1);
                screenshot(browser, "dashboard-after-purge.png");

                try (MemcacheClient source = new MemcacheClient("127.0.0.1", SharedServer.server().port())) {
                    for (int i = 1; i <= 3; i++) {
                        assertEquals("STORED", source.set("dashboard-import", "imported " + i));
                    }
                    browser.findElement(By.id("import-source")).sendKeys("127.0.0.1:" + SharedServer.server().port());
                    browser.findElement(By.id("import-queues")).sendKeys("dashboard-import");
                    browser.findElement(By.cssSelector("#import-form button")).click();
                    By imported = By.cssSelector("#imports tbody tr td:nth-child(3)");
                    wait.until(ExpectedConditions.textToBe(imported, "done"));
                    assertEquals("dashboard-import: 3",
                            browser.findElement(By.cssSelector("#imports tbody tr td:nth-child(6)")).getText());
                    assertEquals("open/close", browser.findElement(By.cssSelector("#imports tbody tr td:nth-child(4)")).getText(),
                            "another mcq: read reliably");
                    screenshot(browser, "dashboard-import.png");
                    assertNull(source.get("dashboard-import"), "taken from the source");
                }
                for (int i = 1; i <= 3; i++) {
                    assertEquals("imported " + i, memcache.getText("dashboard-import"), "here, in order");
                }
            } finally {
                browser.quit();
            }
        }
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1300");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", name);
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("dashboard screenshot: " + target.toAbsolutePath());
    }
}
