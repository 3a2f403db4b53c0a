package cn.shegong.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import cn.shegong.bot.dialogue.BotText;
import cn.shegong.bot.outbound.WeChatApi;
import cn.shegong.core.config.ConfigLoader;
import cn.shegong.core.storage.Redis;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** templates/wechat/menu.json is a menu WeChat accepts, and every button has an answer. */
class MenuTest {

    @Test
    void menuPushUploadsAMenuTheFakeAcceptsAndEveryClickKeyHasAText() throws Exception {
        try (RunningService service = new RunningService(Clock.systemUTC())) {
            var config = ConfigLoader.load(service.envForCommands());
            try (Redis redis = Redis.open(config.redisUrl(), config.redisPrefix(), config.dataDir())) {
                new WeChatApi(config.wechat(), redis).createMenu(MenuCommand.menuJson());
            }
            var call = service.fakeApi.calls().stream().filter(c -> c.path().equals("/cgi-bin/menu/create")).findFirst()
                    .orElseThrow();
            assertEquals(0, call.errcode(), "WeChat's menu rules: button counts, name lengths, types, keys");
        }
        Map<?, ?> menu = new ObjectMapper().readValue(MenuCommand.menuJson(), Map.class);
        List<String> keys = new ArrayList<>();
        collectKeys((List<?>) menu.get("button"), keys);
        assertTrue(keys.size() >= 3, keys.toString());
        for (String key : keys) {
            assertTrue(BotText.forMenuKey(key).isPresent(), "no templates/texts/menu-*.mustache answers button " + key);
        }
    }

    private static void collectKeys(List<?> buttons, List<String> keys) {
        for (Object b : buttons) {
            Map<?, ?> button = (Map<?, ?>) b;
            if ("click".equals(button.get("type"))) {
                keys.add((String) button.get("key"));
            }
            if (button.get("sub_button") instanceof List<?> subs) {
                collectKeys(subs, keys);
            }
        }
    }
}
