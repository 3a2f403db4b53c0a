package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Routing in real headless Chromium, as the city admin uses it: write a rule that sends 由旺镇's 低保
 * requests to a named worker, try it, save it; a resident's WeChat request is then routed by it the
 * moment it is opened, and that worker's phone (in the fake WeChat) gets the card.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoutingBrowserTest {

    static final String PASSWORD = "correct horse battery";
    static final String YOUWANG = "530521102";

    RunningService service;
    Browser chromium;
    WebDriver browser;
    Worker chosen;

    @BeforeAll
    void start() throws Exception {
        chromium = Browser.start();
        browser = chromium.driver;
        service = new RunningService(Clock.systemUTC(), Shegong.Seams.NONE, false, Map.of("ROUTING", "auto"));
        service.shegong.accounts().create("city", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, service.clock.instant());
        service.shegong.staff().addWorker("甲社工", YOUWANG, Worker.Role.WORKER, List.of(Category.DIBAO), 10);
        chosen = service.shegong.staff().addWorker("乙社工", YOUWANG, Worker.Role.WORKER, List.of(), 10);
        service.fakeApi.follow("o-rb-yi");
        String code = service.shegong.bindCodes().create(chosen.id(), service.clock.instant());
        assertTrue(service.platform.says("o-rb-yi", "绑定 " + code).replyText().orElse("").contains("绑定成功"));
    }

    @AfterAll
    void stop() throws Exception {
        if (chromium != null) {
            chromium.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aRuleEditedInTheConsoleRoutesTheNextWeChatRequestToItsWorker() throws Exception {
        chromium.logIn(service.shegong.adminPort(), "city", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-routing")));
        browser.findElement(By.id("nav-routing")).click();
        chromium.waiting().until(ExpectedConditions.attributeContains(By.id("r-text"), "value", "其他求助"));
        String rules = browser.findElement(By.id("r-text")).getDomProperty("value");
        String edited = rules.replace("rules:\n", "rules:\n  - name: 由旺镇低保交乙社工\n    when: {townships: [\"" + YOUWANG
                + "\"], categories: [dibao]}\n    choose: \"worker:" + chosen.id() + "\"\n"
                + "    deadlines: {assign: PT1H, accept: PT4H, first_contact: 1wd, close: 30wd}\n");
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", browser.findElement(By.id("r-text")), edited);

        new Select(browser.findElement(By.id("r-category"))).selectByVisibleText("低保");
        new Select(browser.findElement(By.id("r-township"))).selectByValue(YOUWANG);
        browser.findElement(By.cssSelector("#r-preview button")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("r-result"), "由旺镇低保交乙社工"));
        assertTrue(browser.findElement(By.id("r-result")).getText().contains("乙社工"), "tried before saving");
        browser.findElement(By.id("r-save")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("r-status"), "已保存"));
        chromium.screenshot("routing");

        for (String t : List.of("同意", "家里收入低，想问问能不能申请低保，在施甸县由旺镇，我叫李明，13887651111", "1")) {
            assertTrue(service.platform.says("o-rb-li", t).ok());
        }
        Case c = service.shegong.cases().forResident("o-rb-li").get(0);
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> service.fakeApi.received("o-rb-yi").stream()
                .anyMatch(r -> "SG_DEMO_NEW_ASSIGNMENT_01".equals(r.payload().get("template_id"))
                        && r.payload().toString().contains(c.number()))); // routed on opening, the card sent by the outbox
        assertEquals(java.util.Optional.of(chosen.id()), service.shegong.cases().find(c.id()).orElseThrow().assigneeId());

        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/case/" + c.id());
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-rule"), "由旺镇低保交乙社工"));
        assertTrue(browser.findElement(By.id("c-assignee")).getText().contains("乙社工"));
        assertTrue(browser.findElement(By.id("c-deadlines")).getText().contains("社工接单"), "the deadlines it is held to");
        chromium.screenshot("case-routed");
    }
}
