package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Case;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in real headless Chromium: a resident's WeChat message becomes a case in the inbox,
 * an admin assigns it and the resident is told; the case page shows the transcript; a county admin
 * cannot see another county's case; a script sent by a resident does not run; a lockout.
 * Screenshots of the inbox and the case page go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {

    static final String PASSWORD = "correct horse battery";

    RunningService service;
    Browser chromium;
    WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        chromium = Browser.start();
        browser = chromium.driver;
        service = new RunningService(Clock.systemUTC());
        var now = service.clock.instant();
        service.shegong.accounts().create("city", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, now);
        service.shegong.accounts().create("tengchong", PASSWORD, Role.COUNTY, "530581", false, now);
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

    WebDriverWait waiting() {
        return chromium.waiting();
    }

    void logIn(String user, String password) {
        chromium.logIn(service.shegong.adminPort(), user, password);
    }

    /** Signs in (landing on the dashboard) and opens the inbox. */
    void logInToInbox(String user) {
        logIn(user, PASSWORD);
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("dashboard")));
        browser.findElement(By.id("nav-inbox")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
    }

    /** A resident completes the intake on WeChat; returns their case. */
    Case residentAsks(String openid, String... turns) {
        for (String t : turns) {
            assertTrue(service.platform.says(openid, t).ok());
        }
        List<Case> cases = service.shegong.cases().forResident(openid);
        assertEquals(1, cases.size(), "the conversation opened a case");
        return cases.get(0);
    }

    void screenshot(String name) throws Exception {
        chromium.screenshot(name);
    }

    @Test
    void aWeChatMessageBecomesACaseThatAnAdminAssignsAndTheResidentIsTold() throws Exception {
        service.shegong.staff().addWorker("赵社工", "530521103", cn.shegong.core.staff.Worker.Role.WORKER,
                List.of(cn.shegong.core.casework.Category.ELDERLY), 8);
        Case c = residentAsks("o-browser-li", "同意", "我婆婆八十多了一个人在家，前天摔了一跤，现在起床都困难",
                "施甸县姚关镇山邑村 13800001234 我姓李", "1");

        logInToInbox("city");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("cases"), c.number()));
        screenshot("inbox");
        browser.findElement(By.xpath("//tr[td[text()='" + c.number() + "']]")).click();

        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("transcript"), "前天摔了一跤"));
        assertTrue(browser.findElement(By.id("c-contact")).getText().contains("138****1234"), "masked for the city admin");
        String transcript = browser.findElement(By.id("transcript")).getText();
        assertTrue(transcript.contains("138****1234") && !transcript.contains("13800001234"), "in the transcript too");
        assertTrue(transcript.contains("我婆婆八十多了"), "the first message of the request is part of the case");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("worker"))).selectByIndex(1);
        browser.findElement(By.id("assign")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-status"), "已派单"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-assignee"), "赵社工"));
        screenshot("case");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(768, 1024)); // a tablet held upright
        assertTrue(browser.findElement(By.id("close")).isDisplayed() && browser.findElement(By.id("send")).isDisplayed(),
                "the actions stay on screen at tablet width");
        screenshot("case-tablet");
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));

        var calls = service.fakeApi.awaitCalls(cs -> cs.stream().anyMatch(x -> x.path().equals("/cgi-bin/message/custom/send")
                && x.body().toString().contains(c.number())), Duration.ofSeconds(10));
        assertTrue(calls.stream().anyMatch(x -> "o-browser-li".equals(x.body().get("touser"))
                && x.body().toString().contains("已安排给姚关镇社工站")), "the resident's notification is in WeChat");
    }

    @Test
    void aScriptInAResidentsMessageShowsAsTextAndDoesNotRun() {
        String hostile = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> \" onmouseover=\"window.__xss=3";
        Case c = residentAsks("o-browser-x", "同意", "我家里困难想申请低保 " + hostile, "施甸县姚关镇 13800004321 我叫王五", "1");
        logInToInbox("city");
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("cases"), c.number()));
        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/case/" + c.id());
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-description"), "<script>"));
        assertTrue(browser.findElement(By.id("transcript")).getText().contains("onerror"), "shown as the text it is");
        assertNull(((JavascriptExecutor) browser).executeScript("return window.__xss;"), "and never run");
    }

    @Test
    void aCountyAdminCannotSeeAnotherCountysCase() {
        Case c = residentAsks("o-browser-other", "同意", "我爸中风以后生活不能自理 想找人护理", "施甸县仁和镇 13811112222 我姓周", "1");
        logInToInbox("tengchong");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("inbox-total"), "没有符合条件的求助"));
        assertTrue(!browser.findElement(By.id("cases")).getText().contains(c.number()), "an empty inbox says so");
        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/case/" + c.id());
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-error"), "没有找到"));
    }

    @Test
    void aCountyAdminStaffsAStationAndTheAuditorReadsWhatHappened() throws Exception {
        service.shegong.accounts().create("shidian-admin", PASSWORD, Role.COUNTY, "530521", false, service.clock.instant());
        service.shegong.accounts().create("auditor", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, service.clock.instant());
        logInToInbox("shidian-admin");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
        browser.findElement(By.id("nav-staff")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("stations"), "姚关镇社工站"));
        assertTrue(!browser.findElement(By.id("stations")).getText().contains("腾冲市"), "only the county's own stations");
        browser.findElement(By.xpath("//div[@id='stations']//tr[td[text()='姚关镇社工站']]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("station-title"), "姚关镇社工站"));
        browser.findElement(By.id("w-name")).sendKeys("钱社工");
        browser.findElement(By.cssSelector("#worker-form button")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("workers"), "钱社工"));
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("roster-rows"), "钱社工")); // drawn again with them
        browser.findElement(By.cssSelector("#roster-rows input[aria-label='钱社工 MONDAY']")).click();
        browser.findElement(By.id("roster-save")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("roster-status"), "已保存"));
        String qian = service.shegong.staff().workers("530521103").stream().filter(w -> w.name().equals("钱社工")).findFirst().orElseThrow().id();
        assertEquals(List.of(qian), service.shegong.rosters().onDuty("530521103", java.time.LocalDate.of(2026, 11, 30)),
                "钱社工 is on duty on Mondays (30 November 2026 is one)");
        screenshot("staff");

        logIn("auditor", PASSWORD);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-rows"), "添加社工"));
        assertTrue(browser.findElement(By.id("nav-inbox")).getAttribute("hidden") != null, "the auditor has no inbox");
    }

    @Test
    void aWorkerBoundFromTheConsoleRecordsAVisitWithAPhotoThatTheCasePageShows() throws Exception {
        service.shegong.staff().addWorker("孙社工", "530521104", cn.shegong.core.staff.Worker.Role.WORKER,
                List.of(cn.shegong.core.casework.Category.ELDERLY), 8);
        Case c = residentAsks("o-browser-sun", "同意", "我爷爷一个人住，腿脚不方便，想有人定期来看看",
                "施甸县仁和镇 13800005678 我姓孙", "1");
        service.shegong.accounts().create("renhe", PASSWORD, Role.STATION, "530521104", false, service.clock.instant());
        logInToInbox("renhe"); // the station head: the one role that sees photos, as it sees name and phone
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
        browser.findElement(By.id("nav-staff")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("stations"), "仁和镇社工站"));
        browser.findElement(By.xpath("//div[@id='stations']//tr[td[text()='仁和镇社工站']]")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("workers"), "孙社工"));
        browser.findElement(By.xpath("//tbody[@id='workers']/tr[td[text()='孙社工']]//button[text()='绑定码']")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("bind-code")));
        waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const i = document.getElementById('bind-qr'); return i.complete && i.naturalWidth > 0;"));
        screenshot("bind-code");
        String code = browser.findElement(By.id("bind-code")).getText();

        String phone = "o-browser-worker-sun";
        assertTrue(service.platform.says(phone, "绑定 " + code).replyText().orElse("").contains("绑定成功"));
        browser.navigate().refresh();
        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/#/case/" + c.id());
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("worker"), "孙社工"));
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("worker"))).selectByVisibleText("孙社工（社工，在办 0/8）");
        browser.findElement(By.id("assign")).click();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-assignee"), "孙社工"));

        String shortCode = c.shortCode();
        assertTrue(service.platform.says(phone, "接单 " + shortCode).replyText().orElse("").contains("已接单"));
        assertTrue(service.platform.says(phone, "记录 " + shortCode).replyText().orElse("").contains("开始记录"));
        assertTrue(service.platform.says(phone, "老人屋里很冷，已联系村委送去电热毯").ok());
        assertTrue(service.platform.sendsImage(phone).replyText().orElse("").contains("共 2 条"));
        assertTrue(service.platform.says(phone, "完成").replyText().orElse("").contains("照片 1 张"));
        service.shegong.mediaFetcher().runOnce();

        browser.navigate().refresh();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("notes"), "已联系村委送去电热毯"));
        waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const i = document.querySelector('#media img'); return !!i && i.complete && i.naturalWidth > 0;"));
        assertTrue(browser.findElement(By.id("timeline")).getText().contains("社工记录走访"));
        ((JavascriptExecutor) browser).executeScript("document.getElementById('notes').scrollIntoView()");
        screenshot("case-visit");
    }

    @Test
    void fiveWrongPasswordsLockTheAccount() {
        service.shegong.accounts().create("careless", PASSWORD, Role.COUNTY, "530521", false, service.clock.instant());
        for (int i = 0; i < 5; i++) {
            logIn("careless", "wrong-" + i);
            waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), i < 4 ? "不对" : "锁定"));
        }
        logIn("careless", PASSWORD);
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "锁定"));
    }

    /** A shared office PC: the next person to sign in on the same tab finds nothing of the last one. */
    @Test
    void signingOutLeavesNothingOfTheLastUserForTheNext() {
        service.shegong.accounts().create("yaoguan-head", PASSWORD, Role.STATION, "530521103", false, service.clock.instant());
        service.shegong.accounts().create("auditor-2", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, service.clock.instant());
        Case c = residentAsks("o-browser-shared-pc", "同意", "我妈一个人在家 腿脚不方便 想找人上门照顾", "施甸县姚关镇 13800004321 我姓孙", "1");
        logInToInbox("yaoguan-head");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("inbox")));
        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/case/" + c.id());
        browser.navigate().refresh();
        waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("c-contact"), "13800004321"));

        browser.findElement(By.id("logout")).click();
        // the page reloads from scratch: an element found in the old document may vanish while it is checked
        waiting().ignoring(org.openqa.selenium.WebDriverException.class).until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        assertTrue(!browser.getPageSource().contains("13800004321"), "the phone is gone from the page behind the login form");
        browser.findElement(By.id("username")).sendKeys("auditor-2");
        browser.findElement(By.id("password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("#login-form button")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("audit")));
        String page = browser.getPageSource();
        assertTrue(!page.contains("13800004321") && !page.contains("孙") && !page.contains(c.number()),
                "the auditor sees nothing of the station head's case");
    }
}
