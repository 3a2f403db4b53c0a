package cn.shegong.server;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import cn.shegong.core.time.AdjustableClock;
import cn.shegong.fakewechat.FakeWeChat;
import cn.shegong.fakewechat.FakeWeChatServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A port someone else holds stops the start with a clear error. Helidon only logs a failed bind,
 * and the demo then said "ready" with every address at port -1 and kept running.
 */
class PortInUseTest {

    @Test
    void theServiceAndTheFakeWeChatRefuseToStartOnATakenPort(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> env = TestService.env(dir);
            env.put("ADMIN_PORT", Integer.toString(taken.getLocalPort()));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestService.start(env, Clock.systemUTC()));
            assertTrue(e.getMessage().contains(taken.getLocalPort() + " already in use"), e.getMessage());

            FakeWeChat fake = new FakeWeChat(TestService.APP_ID, TestService.SECRET, new AdjustableClock(Clock.systemUTC()));
            IllegalStateException f = assertThrows(IllegalStateException.class,
                    () -> FakeWeChatServer.start("127.0.0.1", taken.getLocalPort(), fake, Optional.empty()));
            assertTrue(f.getMessage().contains(taken.getLocalPort() + " already in use"), f.getMessage());
        }
    }
}
