package cn.shegong.server;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import cn.shegong.core.casework.Case;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's guided tour, from a clean state, in headless Chromium: a resident asks for help on a
 * simulator phone, the case appears in the console, the admin assigns and closes it, and the phone
 * shows what WeChat would: the passive replies, the assignment and closure messages, the rating.
 * Then the rest of the day: the morning sweep on demand reminds the worker of visits and tells the
 * station head of overdue ones, an urgent message pages the on-duty worker who acknowledges, and
 * the county admin opens the dashboard, clicks through to the missed visits and takes the report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class DemoTourTest {

    Demo.Running demo;
    WebDriver browser;
    String adminPassword;
    Browser chromium;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    void start() throws Exception {
        chromium = Browser.start(1400, 900);
        browser = chromium.driver;
        Map<String, String> env = new HashMap<>(Main.DEMO_DEFAULTS);
        env.put("SERVER_PORT", Integer.toString(freePort()));
        env.put("ADMIN_PORT", Integer.toString(freePort()));
        env.put(Demo.FAKE_PORT, Integer.toString(freePort()));
        env.put("SHEGONG_DATA_DIR", Files.createTempDirectory("shegong-tour").toString());
        env.put("REDIS_URL", cn.shegong.core.testing.TestRedis.URL.toString());
        env.put("REDIS_PREFIX", "shegong-tour:" + System.nanoTime() + ":");
        demo = Demo.start(env);
        List<String> accounts = Demo.demoAccounts(demo.shegong(), demo.config(), java.time.Clock.systemUTC());
        adminPassword = accounts.get(0).split("\\s+")[3];
    }

    @AfterAll
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    WebElement phone(int n) {
        return browser.findElements(By.cssSelector("section.phone")).get(n);
    }

    void say(WebElement phone, String text, String expectInChat) {
        WebElement input = phone.findElement(By.cssSelector("input.text"));
        input.sendKeys(text);
        phone.findElement(By.cssSelector(".compose button")).click();
        waiting().until(d -> phone.findElement(By.cssSelector(".chat")).getText().contains(expectInChat));
    }

    /** The tab that is not the simulator's. */
    String consoleWindow(String simulatorWindow) {
        return browser.getWindowHandles().stream().filter(h -> !h.equals(simulatorWindow)).findFirst().orElseThrow();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void residentAsksAdminAssignsAndClosesResidentIsToldAndRates() throws Exception {
        String simulator = demo.fake().uri() + "/simulator/?console=http://127.0.0.1:" + demo.shegong().adminPort() + "/";
        browser.get(simulator);
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("section.phone"), 1));
        waiting().until(d -> phone(0).findElement(By.cssSelector(".menu")).getText().contains("我要求助"));
        WebElement li = phone(0);
        say(li, "我婆婆八十多了一个人在家，前天摔了一跤，现在起床都困难", "回复“同意”");
        say(li, "同意", "养老服务");
        say(li, "施甸县姚关镇山邑村 13800001234 我姓李", "回复“1”提交");
        say(li, "1", "已受理，编号");
        Case c = demo.shegong().cases().forResident("o-sim-li").get(0);
        Files.createDirectories(Path.of("target/screenshots"));
        Files.write(Path.of("target/screenshots/simulator.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        String simulatorWindow = browser.getWindowHandle();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        browser.get("http://127.0.0.1:" + demo.shegong().adminPort() + "/");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(adminPassword);
        browser.findElement(By.cssSelector("#login-form button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("d-cards"), "今天新求助")); // the dashboard first
        waiting().until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "return document.querySelectorAll('#d-weeks canvas').length > 0")); // ECharts drew, served from the jar
        Files.write(Path.of("target/screenshots/dashboard-demo.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.id("nav-inbox")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("cases"), c.number()));
        Files.write(Path.of("target/screenshots/console-demo.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.findElement(By.xpath("//tr[td[text()='" + c.number() + "']]")).click();
        // routed by the rules the moment it was opened: to the station's least-loaded worker skilled in elderly care
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-assignee"), "赵志强"));
        assertTrue(browser.findElement(By.id("c-status")).getText().contains("已派单"));
        assertTrue(browser.findElement(By.id("c-rule")).getText().contains("其他求助"), "the case names the rule that routed it");

        browser.switchTo().window(simulatorWindow); // the worker's phone gets the assignment and takes it
        WebElement worker = phone(2);
        waiting().until(d -> worker.findElement(By.cssSelector(".chat")).getText().contains(c.number()));
        say(worker, "接单 " + c.shortCode(), "已接单"); // the 4-digit code on the card, as the README's tour says
        say(worker, "回复 " + c.shortCode() + " 明天上午我到您家看看", "已转告"); // through the bot, to Li
        waiting().until(d -> phone(0).findElement(By.cssSelector(".chat")).getText().contains("明天上午我到您家看看"));
        say(worker, "记录 " + c.shortCode(), "开始记录"); // a visit note in parts: a photo, then words
        worker.findElement(By.cssSelector("button.image")).click();
        waiting().until(d -> worker.findElement(By.cssSelector(".chat")).getText().contains("共 1 条"));
        say(worker, "已上门，老人能下床了，家属下周回来", "共 2 条");
        say(worker, "完成", "照片 1 张");
        Files.write(Path.of("target/screenshots/simulator-worker.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        browser.switchTo().window(consoleWindow(simulatorWindow));
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), "老人能下床了"));
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#media li"), 0)); // the photo, kept with the case
        browser.findElement(By.id("summary")).sendKeys("已联系家属，安排社工每周上门");
        browser.findElement(By.xpath("//div[@id='outcomes']//label[contains(., '链接社会资源')]/input")).click();
        browser.findElement(By.id("close")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-status"), "已办结"));

        browser.switchTo().window(simulatorWindow);
        waiting().until(d -> phone(0).findElement(By.cssSelector(".chat")).getText().contains("已安排给姚关镇社工站"));
        waiting().until(d -> phone(0).findElement(By.cssSelector(".chat")).getText().contains("已联系家属"));
        say(phone(0), "5", "谢谢您的评价");
        Files.write(Path.of("target/screenshots/simulator-after.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertEquals(5, demo.shegong().cases().find(c.id()).orElseThrow().rating().orElse(0));

        browser.findElement(By.cssSelector("[data-advance='86400']")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "24 小时"));
        browser.findElement(By.id("reset")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "已重置"));
        assertEquals("", phone(0).findElement(By.cssSelector(".chat")).getText(), "the phones start afresh");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void theRestOfTheDayRemindersAnUrgentPageAndTheCountysFigures() throws Exception {
        browser.get(demo.fake().uri() + "/simulator/?console=http://127.0.0.1:" + demo.shegong().adminPort() + "/");
        waiting().until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("section.phone"), 3));
        browser.findElement(By.id("morning")).click(); // the next 09:00, and the morning's sweeps
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "提醒走访"));
        waiting().until(d -> phone(2).findElement(By.cssSelector(".chat")).getText().contains("走访后回复"));

        say(phone(1), "我是姚关镇的，隔壁老人说不想活了", "12356"); // 王先生: the crisis lines at once…
        waiting().until(d -> phone(2).findElement(By.cssSelector(".chat")).getText().contains("紧急求助")); // …and the duty worker is paged
        say(phone(2), "收到", "已确认");

        String simulatorWindow = browser.getWindowHandle();
        browser.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        List<String> accounts = Demo.demoAccounts(demo.shegong(), demo.config(), java.time.Clock.systemUTC());
        String county = accounts.stream().filter(a -> a.startsWith("shidian")).findFirst().orElseThrow().split("\\s+")[3];
        browser.get("http://127.0.0.1:" + demo.shegong().adminPort() + "/");
        // the first test's city session is still open when the morning came less than 30 minutes on (08:30–09:00 in Baoshan)
        browser.manage().deleteAllCookies();
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("shidian");
        browser.findElement(By.id("password")).sendKeys(county);
        browser.findElement(By.cssSelector("#login-form button")).click();
        waiting().until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "return !!(window.echarts && echarts.getInstanceByDom(document.getElementById('d-visits')))"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("echarts.getInstanceByDom(document.getElementById('d-visits'))"
                + ".trigger('click', { componentType: 'series', seriesIndex: 3, dataIndex: 0 });"); // 尚未到期 of 施甸县
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("v-total"), "次走访"));
        assertTrue(browser.getCurrentUrl().contains("county=530521"), browser.getCurrentUrl());
        Files.write(Path.of("target/screenshots/visits-demo.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("nav-report")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rp-tables"), "培训"));
        String href = browser.findElement(By.id("rp-excel")).getDomAttribute("href");
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript(
                "fetch(arguments[0]).then(r => arguments[1](r.status + ' ' + r.headers.get('content-type')))", href);
        assertTrue(String.valueOf(status).startsWith("200 application/vnd.openxmlformats"), String.valueOf(status));
        browser.switchTo().window(simulatorWindow);
        browser.findElement(By.id("reset")).click(); // the clock back to now, for another run of the tour
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "已重置"));
    }
}
