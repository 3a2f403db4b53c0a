package cn.shegong.bot.outbound;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.storage.Redis;
import me.chanjar.weixin.common.error.WxError;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.util.http.apache.DefaultApacheHttpClientBuilder;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateData;
import me.chanjar.weixin.mp.bean.template.WxMpTemplateMessage;
import me.chanjar.weixin.mp.config.WxMpHostConfig;
import me.chanjar.weixin.mp.config.impl.WxMpRedisConfigImpl;

/**
 * The WeChat API calls we make, through WxJava, with the access token shared by all replicas in
 * Redis (stable_token: fetching it again never invalidates another replica's copy). Every failure
 * becomes a {@link SendFailure} that says what to do next; WxJava's own retries are off because
 * the outbox retries with backoff.
 */
public final class WeChatApi {

    /** WxJava logs request bodies — residents' words — at WARN when a call fails. We log our own, without them. */
    private static final Logger WXJAVA_LOG = Logger.getLogger("me.chanjar.weixin");

    static {
        WXJAVA_LOG.setLevel(Level.SEVERE);
    }

    private final WxMpService wx;

    public WeChatApi(ShegongConfig.WeChat config, Redis redis) {
        WxMpRedisConfigImpl storage = new WxMpRedisConfigImpl(new RedisWxOps(redis), redis.key("wx"));
        storage.setAppId(config.appId());
        storage.setSecret(config.secret());
        storage.setToken(config.token());
        config.aesKey().ifPresent(storage::setAesKey);
        storage.useStableAccessToken(true);
        WxMpHostConfig hosts = new WxMpHostConfig();
        hosts.setApiHost(config.apiBase());
        storage.setHostConfig(hosts);
        // WxJava waits for a pooled connection forever by default; bound every wait.
        DefaultApacheHttpClientBuilder http = DefaultApacheHttpClientBuilder.get();
        http.setConnectionRequestTimeout(3_000);
        http.setConnectionTimeout(3_000);
        http.setSoTimeout(5_000);
        storage.setApacheHttpClientBuilder(http);
        SharedTokenWxMpService service = new SharedTokenWxMpService();
        service.setWxMpConfigStorage(storage);
        service.setMaxRetryTimes(0);
        this.wx = service;
    }

    /** A customer-service text (only within 48 hours of the user's last interaction). */
    public void sendText(String openid, String text) throws SendFailure {
        call(() -> wx.getKefuService().sendKefuMessage(WxMpKefuMessage.TEXT().toUser(openid).content(text).build()));
    }

    /** A template message; returns WeChat's msgid, which its TEMPLATESENDJOBFINISH report will name. */
    public long sendTemplate(String openid, TemplateBindings.Rendered message, String clientMsgId) throws SendFailure {
        List<WxMpTemplateData> data = message.data().entrySet().stream()
                .map(e -> new WxMpTemplateData(e.getKey(), e.getValue())).toList();
        WxMpTemplateMessage template = WxMpTemplateMessage.builder().toUser(openid).templateId(message.templateId())
                .url(message.url().isEmpty() ? null : message.url()).clientMsgId(clientMsgId).data(data).build();
        String msgId = call(() -> wx.getTemplateMsgService().sendTemplateMsg(template));
        try {
            return Long.parseLong(msgId);
        } catch (NumberFormatException e) {
            throw SendFailure.transport("template/send answered without a msgid");
        }
    }

    /** Replaces the account's custom menu with {@code json} (WeChat's menu format). */
    public void createMenu(String json) throws SendFailure {
        call(() -> {
            wx.getMenuService().menuCreate(json);
            return null;
        });
    }

    private static <T> T call(Callable<T> call) throws SendFailure {
        try {
            return call.call();
        } catch (WxErrorException e) {
            WxError error = e.getError();
            if (error == null) {
                throw SendFailure.transport(e.getCause() == null ? "no answer" : e.getCause().getClass().getSimpleName());
            }
            throw new SendFailure(error.getErrorCode(), error.getErrorMsg());
        } catch (WxRuntimeException e) {
            // WxJava's own -1 handling ("busy") and token-fetch failures arrive as this, without an errcode.
            throw SendFailure.transport("WeChat busy or unreachable");
        } catch (Exception e) {
            throw SendFailure.transport(e.getClass().getSimpleName());
        }
    }
}
