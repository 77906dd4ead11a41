package dev.olympus.dashboard;

import org.openqa.selenium.By;

import java.nio.file.Path;

/**
 * Manual tool, not a test: signs in to a running Olympus and screenshots every view, on a laptop-sized
 * and a phone-sized window. {@code java -cp <test classpath> dev.olympus.dashboard.DashboardLook URL KEY OUTDIR}
 */
public final class DashboardLook {

    private DashboardLook() {}

    public static void main(String[] args) {
        String url = args[0];
        String key = args[1];
        Path out = Path.of(args.length > 2 ? args[2] : "target/look");
        for (int[] size : new int[][] {{1440, 900}, {390, 844}}) {
            String suffix = size[0] < 600 ? "-phone" : "";
            try (Browser browser = new Browser(size[0], size[1])) {
                browser.signIn(url, key);
                browser.screenshot(out.resolve("board" + suffix + ".png"));
                for (String view : new String[] {"attention", "agents", "velocity"}) {
                    browser.driver.get(url + "?view=" + view);
                    browser.awaitBoard();
                    if (view.equals("velocity")) {
                        browser.await(d -> !"false".equals(browser.js("return document.getElementById('velocity').dataset.ready")));
                    }
                    browser.screenshot(out.resolve(view + suffix + ".png"));
                }
                browser.driver.get(url + "?task=1");
                browser.awaitBoard();
                browser.await(d -> d.findElements(By.cssSelector("#drawer .facts")).size() > 0
                        && d.findElements(By.cssSelector("#drawer .comment-list li")).size() > 0
                        && d.findElements(By.cssSelector("#drawer .history-list li")).size() > 0);
                browser.screenshot(out.resolve("drawer" + suffix + ".png"));
                browser.driver.manage().logs().get("browser").getAll().stream()
                        .filter(e -> !e.getMessage().contains("404"))
                        .forEach(e -> System.out.println("console: " + e));
            }
        }
    }
}
