package cn.shegong.server;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.households.Household;
import cn.shegong.core.households.HouseholdStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding one's way in real headless Chromium, as an office trained on RuoYi-style systems expects:
 * a left menu by role, a bar of the dashboard opening the list behind it, filters that survive a
 * reload, sortable columns, and a session that ran out saying so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleNavigationBrowserTest {

    static final String PASSWORD = "correct horse battery";

    RunningService service;
    Browser chromium;
    WebDriver browser;

    @BeforeAll
    void start() throws Exception {
        chromium = Browser.start();
        browser = chromium.driver;
        service = new RunningService(Clock.systemUTC());
        service.shegong.accounts().create("shidian", PASSWORD, Role.COUNTY, "530521", false, service.clock.instant());
        service.shegong.accounts().create("auditor", PASSWORD, Role.AUDITOR, Shegong.CITY_AREA, false, service.clock.instant());
        LocalDate today = LocalDate.now(service.clock.withZone(java.time.ZoneId.of("Asia/Shanghai")));
        // Enrolled a month before this quarter began, so the monthly visit falls due inside it on any day of the year
        // (enrolled today, late in a quarter, the first visit would fall in the next one and the chart would be empty).
        LocalDate enrolled = today.withDayOfMonth(1).withMonth((today.getMonthValue() - 1) / 3 * 3 + 1).minusMonths(1);
        for (String name : List.of("杨一", "杨二")) {
            var saved = service.shegong.households().registry().enrol(new HouseholdStore.Facts(List.of(new Household.Member(name, Optional.empty(),
                    Optional.empty(), "本人", Optional.empty())), "530521103", "530521", "山邑村", "", Map.of("liushou_laoren", enrolled),
                    Household.Risk.LOW, ""), Optional.empty(), enrolled, service.clock.instant());
            if (name.equals("杨一")) { // done long after its date: 逾期完成
                var v = service.shegong.households().registry().visitsOf(saved.id()).get(0);
                service.shegong.households().registry().recordVisit(v.code(), v.due().plusDays(40), "钱社工", "去晚了", service.clock.instant());
            }
        }
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
    void theMenuFitsTheRoleAndTheDashboardOpensTheVisitsBehindABar() throws Exception {
        chromium.logIn(service.shegong.adminPort(), "shidian", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-visits")));
        assertFalse(browser.findElement(By.id("nav-audit")).isDisplayed(), "a county admin has no audit log in the menu");
        chromium.waiting().until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return !!(window.echarts && echarts.getInstanceByDom(document.getElementById('d-visits')))"));
        // A click on the county's 逾期完成 segment, as ECharts hands it to the page.
        ((JavascriptExecutor) browser).executeScript("echarts.getInstanceByDom(document.getElementById('d-visits'))"
                + ".trigger('click', { componentType: 'series', seriesIndex: 1, dataIndex: 0 });");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("v-total"), "共 1 次走访"));
        assertTrue(browser.getCurrentUrl().contains("state=LATE") && browser.getCurrentUrl().contains("county=530521"));
        assertTrue(browser.findElement(By.id("v-rows")).getText().contains("杨*"), "the household, masked for the county");
        assertEquals("LATE", new Select(browser.findElement(By.id("v-state"))).getFirstSelectedOption().getDomAttribute("value"));
        chromium.screenshot("console-visits");

        new Select(browser.findElement(By.id("v-state"))).selectByValue(""); // a dropdown applies at once
        chromium.waiting().until(d -> !d.getCurrentUrl().contains("state=")); // every state: the late one and the others
        chromium.waiting().until(d -> !d.findElement(By.id("v-total")).getText().equals("共 1 次走访"));
        String all = browser.findElement(By.id("v-total")).getText();
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("v-total"), all));
        assertTrue(browser.getCurrentUrl().contains("county=530521"), "the filters survive a reload");

        browser.findElement(By.xpath("//section[@id='visits']//th[text()='服务对象']")).click();
        chromium.waiting().until(d -> "asc".equals(d.findElement(By.xpath("//section[@id='visits']//th[text()='服务对象']"))
                .getDomAttribute("data-sorted")));

        browser.findElement(By.id("nav-report")).click(); // the report's numbers open their records too
        By lateTotal = By.xpath("//div[@id='rp-tables']/table[preceding-sibling::h3[1][contains(., '探访')]]//tr[@class='total']/td[4]/a");
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(lateTotal));
        assertEquals("1", browser.findElement(lateTotal).getText());
        browser.findElement(lateTotal).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("v-total"), "共 1 次走访"));
        assertTrue(browser.getCurrentUrl().contains("state=LATE"), browser.getCurrentUrl());
    }

    @Test
    void anAuditorSeesOnlyTheLogAndAnExpiredSessionSaysSo() throws Exception {
        chromium.logIn(service.shegong.adminPort(), "auditor", PASSWORD);
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("a-total")));
        for (String other : List.of("nav-inbox", "nav-dashboard", "nav-visits", "nav-staff")) {
            assertFalse(browser.findElement(By.id(other)).isDisplayed(), other);
        }
        new Select(browser.findElement(By.id("a-action"))).selectByVisibleText("登录");
        chromium.waiting().until(d -> d.getCurrentUrl().contains("action=login"));
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-rows"), "auditor"));

        service.clock.advance(Duration.ofMinutes(31));
        browser.findElement(By.id("a-filters")).submit();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "登录已过期，请重新登录"));
        assertFalse(browser.findElement(By.id("who")).isDisplayed());
    }
}
