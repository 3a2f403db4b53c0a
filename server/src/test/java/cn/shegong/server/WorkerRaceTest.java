package cn.shegong.server;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import cn.shegong.admin.account.Role;
import cn.shegong.bot.dialogue.Applier;
import cn.shegong.bot.dialogue.Step;
import cn.shegong.core.casework.Case;
import cn.shegong.core.casework.Category;
import cn.shegong.core.staff.Worker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker on WeChat and an admin in the console act on the same case at the same moment: one
 * wins, and the other is told the truth — the worker in words, the console with a 409 — and
 * nothing of the losing action is kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRaceTest {

    static final String PASSWORD = "race-admin-password";

    RunningService service;
    ConsoleClient console;
    Worker worker;
    final String phone = "o-race-worker";

    @BeforeAll
    void start() throws Exception {
        service = new RunningService(Clock.systemUTC(), new Shegong.Seams(c -> c, false));
        service.shegong.accounts().create("race", PASSWORD, Role.CITY, Shegong.CITY_AREA, false, service.clock.instant());
        console = new ConsoleClient(service.shegong.adminPort());
        assertEquals(200, console.login("race", PASSWORD).statusCode());
        worker = service.shegong.staff().addWorker("钱社工", "530521105", Worker.Role.WORKER, List.of(Category.ELDERLY), 8);
        String code = service.shegong.bindCodes().create(worker.id(), service.clock.instant());
        assertTrue(service.platform.says(phone, "绑定 " + code).replyText().orElse("").contains("绑定成功"));
        worker = service.shegong.staff().worker(worker.id()).orElseThrow();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    Case assignedCase(String resident) throws Exception {
        for (String t : List.of("同意", "家里老人没人照顾，想申请帮助", "施甸县太平镇 13800007777 我姓钱", "1")) {
            assertTrue(service.platform.says(resident, t).ok());
        }
        Case c = service.shegong.cases().forResident(resident).get(0);
        console.act("/api/cases/" + c.id() + "/assign", Map.of("version", c.version(), "workerId", worker.id()));
        return service.shegong.cases().find(c.id()).orElseThrow();
    }

    @Test
    void theConsoleClosesFirstAndTheWorkerIsToldNothingChanged() throws Exception {
        Case c = assignedCase("o-race-1");
        Step decided = service.shegong.workerDialogue().onText(worker, phone, "结案 " + c.shortCode() + " 已送去米面油", service.clock.instant());
        console.act("/api/cases/" + c.id() + "/close", Map.of("version", c.version(), "summary", "站长已办结",
                "outcomes", List.of(Map.of("code", "resolved"))));

        String answer = new Applier().apply(decided).text();

        assertTrue(answer.contains("没有改动") && answer.contains("已办结"), answer);
        assertFalse(service.shegong.cases().notes(c.id()).stream().anyMatch(n -> n.text().contains("已送去米面油")), "the losing close left no note");
        assertEquals(1, service.shegong.cases().find(c.id()).orElseThrow().timeline().stream().filter(e -> e.kind().equals("closed")).count());
    }

    @Test
    void theWorkerClosesFirstAndTheConsoleGetsAConflict() throws Exception {
        Case c = assignedCase("o-race-2");
        String reply = service.platform.says(phone, "结案 " + c.shortCode() + " 已协助申请临时救助").replyText().orElse("");
        assertTrue(reply.contains("已结案"), reply);

        var late = console.post("/api/cases/" + c.id() + "/close", Map.of("version", c.version(), "summary", "站长办结",
                "outcomes", List.of(Map.of("code", "resolved"))));

        assertEquals(409, late.statusCode(), late.body());
        assertEquals(Case.Status.CLOSED, service.shegong.cases().find(c.id()).orElseThrow().status());
    }

    @Test
    void theWorkerAcceptsWhileTheConsoleReassignsAndOnlyOneHoldsTheCase() throws Exception {
        Case c = assignedCase("o-race-3");
        Step decided = service.shegong.workerDialogue().onText(worker, phone, "接单 " + c.shortCode(), service.clock.instant());
        Worker other = service.shegong.staff().addWorker("周社工", "530521105", Worker.Role.WORKER, List.of(Category.ELDERLY), 8);
        console.act("/api/cases/" + c.id() + "/assign", Map.of("version", c.version(), "workerId", other.id()));

        String answer = new Applier().apply(decided).text();

        assertTrue(answer.contains("没有改动"), answer);
        assertEquals(other.id(), service.shegong.cases().find(c.id()).orElseThrow().assigneeId().orElseThrow());
    }
}
