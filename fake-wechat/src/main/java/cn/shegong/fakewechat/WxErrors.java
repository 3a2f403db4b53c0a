package cn.shegong.fakewechat;

import java.util.Map;

/** The error codes the fake answers with, and WeChat's messages for them (shared/wechat.md §4.7). */
final class WxErrors {

    static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(-1, "system error"),
            Map.entry(40001, "invalid credential, access_token is invalid or not latest"),
            Map.entry(40002, "invalid grant_type"),
            Map.entry(40003, "invalid openid"),
            Map.entry(40007, "invalid media_id"),
            Map.entry(40008, "invalid message type"),
            Map.entry(40013, "invalid appid"),
            Map.entry(40014, "invalid access_token"),
            Map.entry(40017, "invalid button type"),
            Map.entry(40018, "invalid button name size"),
            Map.entry(40019, "invalid button key size"),
            Map.entry(40037, "invalid template_id"),
            Map.entry(40125, "invalid appsecret"),
            Map.entry(41001, "access_token missing"),
            Map.entry(42001, "access_token expired"),
            Map.entry(43004, "require subscribe"),
            Map.entry(43019, "require remove blacklist"),
            Map.entry(44002, "empty post data"),
            Map.entry(45009, "reach max api daily quota limit"),
            Map.entry(45011, "api minute-quota reach limit"),
            Map.entry(45015, "response out of time limit or subscription is canceled"),
            Map.entry(45047, "out of response count limit"),
            Map.entry(46003, "menu no exist"),
            Map.entry(47001, "data format error"),
            Map.entry(47003, "argument invalid!"));

    private WxErrors() {
    }

    static String message(int errcode) {
        return MESSAGES.getOrDefault(errcode, "error");
    }
}
