package cn.shegong.fakewechat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** WeChat's rules for a custom menu (shared/wechat.md §4.6): the errcode a bad menu gets, if any. */
final class FakeMenu {

    private static final Set<String> TYPES = Set.of("click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
            "pic_photo_or_album", "pic_weixin", "location_select", "media_id", "article_id", "article_view_limited",
            "view_limited", "miniprogram");

    private FakeMenu() {
    }

    static Optional<Integer> validate(Map<String, Object> menu) {
        if (!(menu.get("button") instanceof List<?> buttons) || buttons.isEmpty() || buttons.size() > 3) {
            return Optional.of(40016);
        }
        for (Object b : buttons) {
            Map<?, ?> button = (Map<?, ?>) b;
            Optional<Integer> bad = button.get("sub_button") instanceof List<?> subs && !subs.isEmpty()
                    ? validateGroup(button, subs)
                    : validateButton(button, 16);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> validateGroup(Map<?, ?> group, List<?> subs) {
        if (bytes(group.get("name")) == 0 || bytes(group.get("name")) > 16) {
            return Optional.of(40018);
        }
        if (subs.size() > 5) {
            return Optional.of(40023);
        }
        for (Object s : subs) {
            Optional<Integer> bad = validateButton((Map<?, ?>) s, 60);
            if (bad.isPresent()) {
                return bad;
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> validateButton(Map<?, ?> button, int maxNameBytes) {
        int name = bytes(button.get("name"));
        if (name == 0 || name > maxNameBytes) {
            return Optional.of(40018);
        }
        Object type = button.get("type");
        if (!(type instanceof String t) || !TYPES.contains(t)) {
            return Optional.of(40017);
        }
        if (t.equals("click") && (bytes(button.get("key")) == 0 || bytes(button.get("key")) > 128)) {
            return Optional.of(40019);
        }
        if (t.equals("view") && (bytes(button.get("url")) == 0 || bytes(button.get("url")) > 1024)) {
            return Optional.of(40055);
        }
        return Optional.empty();
    }

    private static int bytes(Object value) {
        return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8).length : 0;
    }
}
