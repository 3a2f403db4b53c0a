package cn.shegong.bot.wechat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import cn.shegong.core.storage.Redis;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LanesTest {

    @Test
    void thePushesInBothLanesNeverNeedMoreOfRedisPoolThanTheyMayHave() {
        assertTrue(Lanes.HANDLING + Lanes.KEEPING <= Redis.POOL_SIZE * 3 / 4,
                "a quarter of the pool stays for the drainer, liveness, the outbox and the console");
    }

    @Test
    void aPushIsHandledWhileThereIsRoomThenKeptThenRefused() throws Exception {
        Lanes lanes = new Lanes();
        List<Lanes.Pass> taken = new ArrayList<>();
        for (int i = 0; i < Lanes.HANDLING; i++) {
            Lanes.Pass pass = lanes.enter(0, soon()).orElseThrow();
            assertTrue(pass.handles());
            taken.add(pass);
        }
        for (int i = 0; i < Lanes.KEEPING; i++) {
            Lanes.Pass pass = lanes.enter(0, soon()).orElseThrow();
            assertFalse(pass.handles(), "the handling lane is full: kept instead");
            taken.add(pass);
        }
        assertEquals(Optional.empty(), lanes.enter(0, System.nanoTime()), "both full: no place, and no wait past the bound");

        taken.getFirst().close();
        assertTrue(lanes.enter(0, soon()).orElseThrow().handles(), "a handling's place, given back, is taken by the next push");
    }

    @Test
    void aPlaceHandedToAHandlingIsGivenBackByItOnceNotByTheAnswer() throws Exception {
        Lanes lanes = new Lanes();
        List<Lanes.Pass> handed = new ArrayList<>();
        for (int i = 0; i < Lanes.HANDLING; i++) {
            Lanes.Pass pass = lanes.enter(0, soon()).orElseThrow();
            pass.handOver();
            pass.close(); // the push was answered; its handling goes on
            handed.add(pass);
        }
        assertFalse(lanes.enter(0, soon()).orElseThrow().handles(), "the handlings still hold their places");
        handed.getFirst().giveBack();
        handed.getFirst().giveBack(); // twice is once
        assertTrue(lanes.enter(0, soon()).orElseThrow().handles());
        assertFalse(lanes.enter(0, soon()).orElseThrow().handles(), "one place came back, not two");
    }

    private static long soon() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    }
}
