package cn.shegong.server;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import cn.shegong.admin.account.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Console accounts as an attacker and a careful office would try them: guessing is locked per
 * username and address without telling real usernames from unknown ones, nobody can lock
 * {@code admin} out for everyone, passwords follow the 等保 level-3 policy, and a password change
 * ends the account's other sessions. Each test comes from its own address (X-Forwarded-For from a
 * local proxy), so the per-address counters of one test never touch another.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccountsTest {

    static final String PASSWORD = "correct horse battery";

    RunningService service;

    @BeforeAll
    void start() {
        service = new RunningService(Clock.systemUTC());
    }

    @AfterAll
    void stop() {
        service.close();
    }

    ConsoleClient browser(String from) {
        ConsoleClient b = new ConsoleClient(service.shegong.adminPort());
        b.from = from;
        return b;
    }

    void account(String username, boolean mustChange) {
        service.shegong.accounts().create(username, PASSWORD, Role.COUNTY, "530521", mustChange, service.clock.instant());
    }

    static String error(HttpResponse<String> r) {
        return ConsoleClient.parse(r.body()).path("error").asText();
    }

    @Test
    void fiveWrongPasswordsLockTheUsernameFromThatAddressOnly() throws Exception {
        account("victim", false);
        ConsoleClient attacker = browser("10.0.0.1");
        for (int i = 0; i < 4; i++) {
            assertEquals(401, attacker.login("victim", "guess" + i).statusCode());
        }
        assertEquals(423, attacker.login("victim", "guess4").statusCode());
        assertEquals(423, attacker.login("victim", PASSWORD).statusCode(), "even the right password while locked");
        assertEquals(200, browser("10.0.0.2").login("victim", PASSWORD).statusCode(),
                "the victim at their own desk is not locked out by someone else's guessing");
        service.clock.advance(Duration.ofMinutes(16));
        assertEquals(200, attacker.login("victim", PASSWORD).statusCode(), "the lock ends after 15 minutes");
    }

    @Test
    void unknownUsernamesAnswerExactlyLikeRealOnes() throws Exception {
        account("realone", false);
        ConsoleClient real = browser("10.0.1.1");
        ConsoleClient unknown = browser("10.0.1.2");
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> a = real.login("realone", "guess" + i);
            HttpResponse<String> b = unknown.login("nobody-here", "guess" + i);
            assertEquals(a.statusCode(), b.statusCode(), "attempt " + (i + 1));
            assertEquals(a.body(), b.body(), "attempt " + (i + 1));
        }
        assertEquals(423, unknown.login("nobody-here", "x").statusCode());
    }

    @Test
    void oneAddressGuessingManyUsernamesIsStoppedForAll() throws Exception {
        account("bystander", false);
        ConsoleClient sprayer = browser("10.0.2.1");
        for (int i = 0; i < 20; i++) {
            sprayer.login("user" + i, "Password" + i);
        }
        assertEquals(423, sprayer.login("bystander", PASSWORD).statusCode(), "after 20 wrong passwords the address is locked");
        assertEquals(200, browser("10.0.2.2").login("bystander", PASSWORD).statusCode());
    }

    @Test
    void passwordsFollowThePolicyAndCannotBeReused() throws Exception {
        account("newhead", true);
        ConsoleClient b = browser("10.0.3.1");
        assertEquals(200, b.login("newhead", PASSWORD).statusCode());
        HttpResponse<String> blocked = b.get("/api/cases");
        assertEquals("password_change_required", error(blocked));
        for (var refused : Map.of("Short1!", "password_too_short", "aaaaaaaaaa", "password_weak",
                "alllowercase123", "password_weak", "Newhead-2026!", "password_contains_username").entrySet()) {
            HttpResponse<String> r = b.post("/api/password", Map.of("current", PASSWORD, "next", refused.getKey()));
            assertEquals(400, r.statusCode(), refused.getKey());
            assertEquals(refused.getValue(), error(r), refused.getKey());
        }
        assertEquals(200, b.post("/api/password", Map.of("current", PASSWORD, "next", "Blue-River-2026")).statusCode());
        assertEquals(200, b.get("/api/cases").statusCode());
        assertFalse(service.shegong.accounts().login("newhead", PASSWORD).isPresent(), "the old password no longer works");
        assertEquals(200, b.post("/api/password", Map.of("current", "Blue-River-2026", "next", "Green-Hill-2026")).statusCode());
        HttpResponse<String> back = b.post("/api/password", Map.of("current", "Green-Hill-2026", "next", "Blue-River-2026"));
        assertEquals("password_reused", error(back), "one of the last five");
    }

    @Test
    void aPasswordChangeEndsTheOtherSessions() throws Exception {
        account("twodesks", false);
        ConsoleClient office = browser("10.0.4.1");
        ConsoleClient stolen = browser("10.0.4.2");
        assertEquals(200, office.login("twodesks", PASSWORD).statusCode());
        assertEquals(200, stolen.login("twodesks", PASSWORD).statusCode());
        assertEquals(200, office.post("/api/password", Map.of("current", PASSWORD, "next", "Fresh-Start-2026")).statusCode());
        assertEquals(401, stolen.get("/api/me").statusCode(), "the other session ended with the old password");
        assertEquals(200, office.get("/api/me").statusCode(), "the session that changed it goes on");
    }

    @Test
    void fiveWrongCurrentPasswordsEndTheSessionAndLock() throws Exception {
        account("borrowed", false);
        ConsoleClient b = browser("10.0.5.1");
        assertEquals(200, b.login("borrowed", PASSWORD).statusCode());
        for (int i = 0; i < 4; i++) {
            assertEquals(403, b.post("/api/password", Map.of("current", "guess" + i, "next", "Taken-Over-2026")).statusCode());
        }
        assertEquals(423, b.post("/api/password", Map.of("current", "guess4", "next", "Taken-Over-2026")).statusCode());
        assertEquals(401, b.get("/api/me").statusCode(), "the session ended");
        assertEquals(423, b.login("borrowed", PASSWORD).statusCode());
    }

    @Test
    void aPasswordOlderThanNinetyDaysMustBeChanged() throws Exception {
        account("oldtimer", false);
        service.clock.advance(Duration.ofDays(91));
        ConsoleClient b = browser("10.0.6.1");
        HttpResponse<String> r = b.login("oldtimer", PASSWORD);
        assertEquals(200, r.statusCode());
        assertTrue(ConsoleClient.parse(r.body()).get("mustChangePassword").asBoolean());
        assertEquals("expired", ConsoleClient.parse(r.body()).get("changeReason").asText());
        assertEquals("password_change_required", error(b.get("/api/cases")));
    }

    @Test
    void aLoginPostedAsAFormIsRefused() throws Exception {
        account("formuser", false);
        ConsoleClient b = browser("10.0.8.1");
        var request = java.net.http.HttpRequest.newBuilder(b.uri("/api/login")).header("Content-Type", "text/plain")
                .header("X-Forwarded-For", "10.0.8.1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"formuser\",\"password\":\"" + PASSWORD + "\"}")).build();
        HttpResponse<String> r = b.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(415, r.statusCode(), "a cross-site form cannot sign anyone in (or lock them out)");
        assertEquals(200, b.login("formuser", PASSWORD).statusCode());
    }

    @Test
    void theSessionCookieIsSecureBehindATlsProxy() throws Exception {
        account("tlsuser", false);
        ConsoleClient plain = browser("10.0.7.1");
        String cookie = plain.login("tlsuser", PASSWORD).headers().firstValue("Set-Cookie").orElse("");
        assertFalse(cookie.contains("Secure"), cookie);
        var request = java.net.http.HttpRequest.newBuilder(plain.uri("/api/login")).header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "10.0.7.2")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"tlsuser\",\"password\":\"" + PASSWORD + "\"}")).build();
        String secure = plain.http.send(request, HttpResponse.BodyHandlers.ofString()).headers().firstValue("Set-Cookie").orElse("");
        assertTrue(secure.contains("Secure"), secure);
        assertTrue(secure.contains("HttpOnly") && secure.contains("SameSite=Strict"), secure);
    }
}
