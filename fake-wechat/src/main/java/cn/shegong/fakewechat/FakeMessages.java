package cn.shegong.fakewechat;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;

import cn.shegong.fakewechat.FakeWeChat.Answer;
import cn.shegong.fakewechat.FakeWeChat.Received;

/**
 * The fake's message sending, as WeChat rules it: customer-service messages only inside the
 * 48-hour window and within its quota; template messages only with a registered template and
 * values of at most 20 characters on one line, each reported later (TEMPLATESENDJOBFINISH); either
 * refused for an unknown, unsubscribed or blacklisted user. What each user received, in order.
 */
final class FakeMessages {

    private final Map<String, FakeUser> users;
    private final Clock clock;
    private final AtomicLong seq;
    private final Set<String> templates = new CopyOnWriteArraySet<>();
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private final AtomicLong templateMsgIds = new AtomicLong(200_163_836);
    private volatile FakeWeChat.TemplateReports reports = (openid, msgId, status) -> { };

    FakeMessages(Map<String, FakeUser> users, Clock clock, AtomicLong seq) {
        this.users = users;
        this.clock = clock;
        this.seq = seq;
    }

    void registerTemplate(String templateId) {
        templates.add(templateId);
    }

    void onTemplateReports(FakeWeChat.TemplateReports reports) {
        this.reports = reports;
    }

    List<Received> received(String openid) {
        return List.copyOf(received.getOrDefault(openid, List.of()));
    }

    Map<String, List<Received>> receivedByUser() {
        Map<String, List<Received>> copy = new LinkedHashMap<>();
        received.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    void clear() {
        received.clear();
    }

    Answer customSend(Map<String, Object> json) {
        String openid = (String) json.get("touser");
        String type = (String) json.get("msgtype");
        if (openid == null || type == null) {
            return Answer.error(44002);
        }
        if (!Set.of("text", "image", "voice", "video", "music", "news", "mpnews", "msgmenu", "wxcard",
                "miniprogrampage").contains(type) || !(json.get(type) instanceof Map<?, ?> content) || content.isEmpty()) {
            return Answer.error(40008);
        }
        FakeUser user = users.get(openid);
        int refused = refusal(user);
        if (refused != 0) {
            return Answer.error(refused);
        }
        synchronized (user) {
            if (!clock.instant().isBefore(user.lastInteraction.plus(FakeWeChat.WINDOW))) {
                return Answer.error(45015);
            }
            if (user.sentSinceInteraction >= FakeWeChat.WINDOW_QUOTA) {
                return Answer.error(45047);
            }
            user.sentSinceInteraction++;
        }
        deliver(openid, "custom", json);
        return Answer.error(0);
    }

    Answer templateSend(Map<String, Object> json) {
        String openid = (String) json.get("touser");
        String templateId = (String) json.get("template_id");
        if (openid == null || templateId == null || !(json.get("data") instanceof Map<?, ?> data)) {
            return Answer.error(44002);
        }
        if (!templates.contains(templateId)) {
            return Answer.error(40037);
        }
        for (Object field : data.values()) {
            Object value = field instanceof Map<?, ?> m ? m.get("value") : null;
            if (!(value instanceof String s) || s.codePointCount(0, s.length()) > FakeWeChat.TEMPLATE_VALUE_MAX || s.contains("\n")) {
                return Answer.json(Map.of("errcode", 47003, "errmsg", "argument invalid! data.value invalid"));
            }
        }
        FakeUser user = users.get(openid);
        int refused = refusal(user);
        if (refused != 0) {
            return Answer.error(refused);
        }
        long msgId = templateMsgIds.incrementAndGet();
        String status = user.blocksTemplates ? "failed:user block" : "success";
        if (!user.blocksTemplates) {
            deliver(openid, "template", json);
        }
        Thread.ofVirtual().start(() -> reports.report(openid, msgId, status));
        return Answer.json(Map.of("errcode", 0, "errmsg", "ok", "msgid", msgId));
    }

    private static int refusal(FakeUser user) {
        if (user == null) {
            return 40003;
        }
        if (!user.subscribed) {
            return 43004;
        }
        return user.blacklisted ? 43019 : 0;
    }

    private void deliver(String openid, String kind, Map<String, Object> payload) {
        received.computeIfAbsent(openid, k -> new CopyOnWriteArrayList<>())
                .add(new Received(seq.incrementAndGet(), clock.instant(), kind, payload));
    }
}
