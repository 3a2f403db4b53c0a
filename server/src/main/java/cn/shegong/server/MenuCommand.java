package cn.shegong.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import cn.shegong.bot.outbound.SendFailure;
import cn.shegong.bot.outbound.WeChatApi;
import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.Redis;

/** {@code ./shegong menu push}: uploads templates/wechat/menu.json as the account's custom menu. */
final class MenuCommand {

    private MenuCommand() {
    }

    static String menuJson() {
        try (InputStream in = MenuCommand.class.getClassLoader().getResourceAsStream("wechat/menu.json")) {
            if (in == null) {
                throw new IllegalStateException("wechat/menu.json is missing from templates/");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int push(ShegongConfig config, PrintStream out) {
        try (Redis redis = Redis.open(config.redisUrl(), config.redisPrefix(), config.dataDir())) {
            new WeChatApi(config.wechat(), redis).createMenu(menuJson());
            out.println("Menu uploaded to " + config.wechat().apiBase() + " for " + config.wechat().appId()
                    + ". WeChat clients show it within 5 minutes (or after unfollowing and following again).");
            return 0;
        } catch (SendFailure e) {
            out.println("WeChat refused the menu: " + e.getMessage());
            return 1;
        }
    }
}
