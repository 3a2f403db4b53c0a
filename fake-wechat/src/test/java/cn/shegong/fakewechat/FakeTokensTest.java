package cn.shegong.fakewechat;

import java.time.Clock;
import java.time.Duration;

import cn.shegong.core.time.AdjustableClock;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The fake's tokens behave as shared/wechat.md §4.1–4.2 documents WeChat's. */
class FakeTokensTest {

    final AdjustableClock clock = new AdjustableClock(Clock.systemUTC());
    final FakeTokens tokens = new FakeTokens(clock);

    @Test
    void rotatingKeepsThePreviousTokenForFiveMinutesOnly() {
        String first = tokens.rotate();
        String second = tokens.rotate();
        assertNotEquals(first, second);
        assertEquals(0, tokens.check(first), "the old token still works right after a refresh");
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertEquals(40001, tokens.check(first), "and is refused after the 5-minute overlap");
        assertEquals(0, tokens.check(second));
    }

    @Test
    void tokensExpireAfter7200Seconds() {
        String token = tokens.rotate();
        clock.advance(Duration.ofSeconds(7201));
        assertEquals(42001, tokens.check(token));
    }

    @Test
    void stableTokenIsTheSameUntilForced() {
        String a = tokens.stable(false);
        assertEquals(a, tokens.stable(false));
        String forced = tokens.stable(true);
        assertNotEquals(a, forced);
        assertEquals(0, tokens.check(forced));
    }

    @Test
    void missingAndUnknownTokens() {
        assertEquals(41001, tokens.check(""));
        assertEquals(40001, tokens.check("made-up"));
    }

    @Test
    void theDailyQuotaRunsOut() {
        for (int i = 0; i < FakeTokens.DAILY_QUOTA; i++) {
            tokens.rotate();
        }
        assertEquals(null, tokens.rotate(), "45009 once 2,000 tokens were fetched today");
    }
}
