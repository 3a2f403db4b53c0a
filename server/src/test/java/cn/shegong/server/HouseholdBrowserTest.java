package cn.shegong.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import cn.shegong.admin.account.Role;
import cn.shegong.core.staff.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry in real headless Chromium, as a county office uses it: upload an Excel ledger and
 * watch the progress bar to the end, read the report and the link to the rejected rows, find a
 * household by ID number, open it and see its next visit and the rule behind it, hand it to
 * another worker. Screenshots go to target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HouseholdBrowserTest {

    static final String PASSWORD = "correct horse battery";

    RunningService service;
    Browser chromium;
    WebDriver browser;
    Path ledger;

    @BeforeAll
    void start() throws Exception {
        chromium = Browser.start();
        browser = chromium.driver;
        service = new RunningService(Clock.systemUTC());
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, service.clock.instant());
        service.shegong.staff().addWorker("赵社工", "530521103", Worker.Role.WORKER, List.of(), 10);
        service.shegong.staff().addWorker("钱社工", "530521103", Worker.Role.WORKER, List.of(), 10);
        ledger = Ledgers.write(Files.createTempDirectory("ledger").resolve("施甸县留守老人花名册.xlsx"), 200,
                List.of(List.of("201", "坏号码", "5.30521E+17", "施甸县", "姚关镇", "", "留守老人", "")));
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
    void aCountyImportsALedgerOpensAHouseholdAndSeesItsNextVisit() throws Exception {
        chromium.logIn(service.shegong.adminPort(), "shidian", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-households")));
        browser.findElement(By.id("nav-households")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("h-total"), "共"));
        int before = Integer.parseInt(browser.findElement(By.id("h-total")).getText().replaceAll("\\D", ""));

        browser.findElement(By.id("import-file")).sendKeys(ledger.toString());
        browser.findElement(By.id("import-start")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("import-text"), "导入完成"));
        assertEquals("100", browser.findElement(By.id("import-progress")).getDomProperty("value"));
        String result = browser.findElement(By.id("import-result")).getText();
        assertTrue(result.contains("新建 200 户") && result.contains("未导入 1 行"), result);
        assertTrue(browser.findElement(By.id("import-rejected")).isDisplayed(), "the rejected rows can be downloaded");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("h-total"), "共 " + (before + 200) + " 户"));
        chromium.screenshot("households");

        browser.findElement(By.id("h-id")).sendKeys(Ledgers.idNumber(42));
        browser.findElement(By.cssSelector("#h-filters button")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("h-total"), "共 1 户"));
        browser.findElement(By.cssSelector("#h-rows tr")).click();

        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hh-rule"), "留守老人每月巡访"));
        String next = browser.findElement(By.id("hh-next")).getText();
        assertTrue(next.matches("\\d{4}-\\d{2}-\\d{2}（走访编号 V\\d{5,}）"), next);
        assertTrue(browser.findElement(By.id("hh-visits")).getText().contains("待走访"));
        assertTrue(browser.findElement(By.id("hh-members")).getText().contains("530*************"), "masked for the county");
        chromium.screenshot("household");

        browser.findElement(By.id("nav-report")).click(); // the county's report counts what was just imported
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("rp-tables"), "在册服务对象"));
        assertTrue(browser.findElement(By.id("rp-title")).getText().contains("施甸县"));
        assertTrue(browser.findElement(By.id("rp-tables")).getText().contains("留守老人"));
        chromium.screenshot("report");
        browser.navigate().back();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hh-rule"), "留守老人每月巡访"));

        new Select(browser.findElement(By.id("hh-move-to"))).selectByVisibleText("钱社工");
        browser.findElement(By.id("hh-move")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hh-worker"), "钱社工"));
        assertTrue(browser.findElement(By.id("hh-history")).getText().contains("移交给其他社工"));
    }

    @Test
    void aRiskSignalInAVisitNoteIsReviewedOnTheMonitoringPageAndTheHouseholdIsVisitedWithinADay() throws Exception {
        var registry = service.shegong.households().registry();
        var facts = new cn.shegong.core.households.HouseholdStore.Facts(List.of(new cn.shegong.core.households.Household.Member("杨桂英",
                java.util.Optional.of(Ledgers.idNumber(900)), java.util.Optional.empty(), "本人", java.util.Optional.empty())),
                "530521103", "530521", "山邑村", "", java.util.Map.of("fensan_tekun", java.time.LocalDate.of(2026, 9, 1)),
                cn.shegong.core.households.Household.Risk.MEDIUM, "");
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai"));
        String id = registry.enrol(facts, java.util.Optional.empty(), today, service.clock.instant()).id();
        String visit = service.shegong.households().households().find(id).orElseThrow().nextVisit().orElseThrow();
        registry.recordVisit(visit, today, "赵社工", "老人的儿子上月车祸去世了，家里没有收入来源", service.clock.instant());

        chromium.logIn(service.shegong.adminPort(), "shidian", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-monitoring")));
        browser.findElement(By.id("nav-monitoring")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("m-rows"), "车祸去世"));
        String row = browser.findElement(By.id("m-rows")).getText();
        assertTrue(row.contains("灾害事故") && row.contains("家庭变故") && row.contains("走访记录"), row);
        chromium.screenshot("monitoring");
        browser.findElement(By.xpath("//tbody[@id='m-rows']//button[text()='确认重大变化']")).click();
        chromium.waiting().until(ExpectedConditions.not(ExpectedConditions.textToBePresentInElementLocated(By.id("m-rows"), "车祸去世")));

        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/household/" + id);
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hh-rule"), "高风险每周探访"));
        assertTrue(browser.findElement(By.id("hh-risk")).getText().contains("高风险"));
        assertTrue(browser.findElement(By.id("hh-next")).getText().startsWith(today.plusDays(1).toString()), "a visit within a day");
        assertTrue(browser.findElement(By.id("hh-visits")).getText().contains("重大变化后24小时内探访"));
    }

    @Test
    void aCountyEntersAHouseholdThroughTheFormAndAWrongIdNumberIsExplained() throws Exception {
        chromium.logIn(service.shegong.adminPort(), "shidian", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-households")));
        browser.findElement(By.id("nav-households")).click();
        chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("h-new"))).click();
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#hf-members input[name=name]")));
        browser.findElement(By.cssSelector("#hf-members input[name=name]")).sendKeys("尹秀兰");
        String id = Ledgers.idNumber(777);
        browser.findElement(By.cssSelector("#hf-members input[name=idNumber]")).sendKeys(id.substring(0, 17) + (id.endsWith("1") ? "2" : "1"));
        new Select(browser.findElement(By.id("hf-township"))).selectByValue("530521103");
        browser.findElement(By.cssSelector("#hf-categories input[value=liushou_laoren]")).click();
        browser.findElement(By.cssSelector("#hf button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hf-error"), "校验位不对"));
        browser.findElement(By.cssSelector("#hf-members input[name=idNumber]")).clear();
        browser.findElement(By.cssSelector("#hf-members input[name=idNumber]")).sendKeys(id);
        chromium.screenshot("household-form");
        browser.findElement(By.cssSelector("#hf button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("hh-rule"), "留守老人每月巡访"));
        assertTrue(browser.findElement(By.id("hh-title")).getText().startsWith("尹"), "the new household's page");
        assertTrue(service.shegong.households().households().byIdNumber(id).isPresent());
    }

    @Test
    void aStationsPosterCarriesAPermanentQrCodeThatPlacesAScanningResidentsRequestThere() throws Exception {
        service.shegong.staff().updateStation("530521103", "0875-8123456", true);
        chromium.logIn(service.shegong.adminPort(), "shidian", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-staff")));
        browser.get("http://127.0.0.1:" + service.shegong.adminPort() + "/console/#/poster/530521103");
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("p-title"), "施甸县姚关镇社工站"));
        chromium.waiting().until(d -> (Boolean) ((org.openqa.selenium.JavascriptExecutor) d).executeScript(
                "const i = document.getElementById('p-qr'); return i.complete && i.naturalWidth > 0;"));
        assertTrue(browser.findElement(By.id("p-phone")).getText().contains("0875-8123456"));
        chromium.screenshot("poster");
        String image = browser.findElement(By.id("p-qr")).getDomProperty("src");
        String ticket = java.net.URLDecoder.decode(image.substring(image.indexOf("ticket=") + 7), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(service.platform.scans("o-poster-resident", ticket).isPresent(), "a resident scans the poster");
        for (String t : List.of("同意", "我家老人一个人在家，腿脚不便想请人上门看看，电话13800008888，我姓尹", "1")) {
            assertTrue(service.platform.says("o-poster-resident", t).ok());
        }
        assertEquals("530521103", service.shegong.cases().forResident("o-poster-resident").get(0).township().orElseThrow().code(),
                "placed at the poster's station without being asked where");
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.attributeContains(By.id("p-qr"), "src", ticket.substring(0, 12)));
        assertEquals(image, browser.findElement(By.id("p-qr")).getDomProperty("src"), "the same permanent code each time");
    }
}
