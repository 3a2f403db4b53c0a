package cn.shegong.bot.outbound;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;

import cn.shegong.core.config.ShegongConfig;
import cn.shegong.core.outbox.OutboxItem;
import cn.shegong.core.staff.QrCodes;
import cn.shegong.core.storage.Redis;
import me.chanjar.weixin.common.error.WxError;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.common.util.http.apache.DefaultApacheHttpClientBuilder;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import me.chanjar.weixin.mp.bean.result.WxMpQrCodeTicket;
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
public final class WeChatApi implements QrCodes {

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
        if (!config.apiBase().contains("api.weixin.qq.com")) {
            hosts.setMpHost(config.apiBase()); // a stand-in WeChat (the fake) also serves the QR images
        }
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

    /** A menu message (msgmenu): tappable options; only within the 48-hour window, like any customer-service message. */
    public void sendMenu(String openid, OutboxItem.Menu menu) throws SendFailure {
        call(() -> wx.getKefuService().sendKefuMessage(WxMpKefuMessage.MSGMENU().toUser(openid).headContent(menu.head())
                .tailContent(menu.tail()).msgMenus(menu.options().stream()
                        .map(o -> new WxMpKefuMessage.MsgMenu(o.id(), o.label())).toList()).build()));
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

    /** A temporary parametric QR code (QR_STR_SCENE); the address of its image, or empty if WeChat failed. */
    @Override
    public Optional<String> create(String scene, Duration lifetime) {
        try {
            WxMpQrCodeTicket ticket = call(() -> wx.getQrcodeService().qrCodeCreateTmpTicket(scene, (int) lifetime.toSeconds()));
            return Optional.of(wx.getQrcodeService().qrCodePictureUrl(ticket.getTicket()));
        } catch (SendFailure | WxErrorException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> permanent(String scene) {
        try {
            WxMpQrCodeTicket ticket = call(() -> wx.getQrcodeService().qrCodeCreateLastTicket(scene));
            return Optional.of(wx.getQrcodeService().qrCodePictureUrl(ticket.getTicket()));
        } catch (SendFailure | WxErrorException e) {
            return Optional.empty();
        }
    }

    /** A temporary media file (a photo, a voice message) as WeChat gives it: the bytes and their type. */
    public record Download(byte[] bytes, String contentType) {
    }

    /** Downloads a temporary media file (media/get); WeChat keeps them for 3 days. */
    public Download download(String mediaId) throws SendFailure {
        java.io.File file = call(() -> wx.getMaterialService().mediaDownload(mediaId));
        if (file == null) {
            throw SendFailure.transport("media/get answered without a file");
        }
        try {
            String name = file.getName().toLowerCase(java.util.Locale.ROOT);
            String type = name.endsWith(".amr") ? "audio/amr" : name.endsWith(".mp3") ? "audio/mpeg" : name.endsWith(".png") ? "image/png"
                    : name.endsWith(".mp4") ? "video/mp4" : "image/jpeg";
            return new Download(java.nio.file.Files.readAllBytes(file.toPath()), type);
        } catch (java.io.IOException e) {
            throw SendFailure.transport("media/get file unreadable");
        } finally {
            file.delete();
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
