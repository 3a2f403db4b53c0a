package cn.shegong.fakewechat;

import java.util.Map;

import cn.shegong.fakewechat.FakeWeChat.Answer;

/**
 * {@code /cgi-bin/token} and {@code /cgi-bin/stable_token} as WeChat answers them: the account's
 * credentials checked first (40002 wrong grant type, 40013 unknown AppID, 40125 wrong secret),
 * then a token from {@link FakeTokens} (45009 when the day's quota is used up).
 */
final class FakeTokenEndpoints {

    private final String appId;
    private final String secret;
    private final FakeTokens tokens;

    FakeTokenEndpoints(String appId, String secret, FakeTokens tokens) {
        this.appId = appId;
        this.secret = secret;
        this.tokens = tokens;
    }

    Answer token(Map<String, String> query) {
        int refused = credentials(query.get("grant_type"), query.get("appid"), query.get("secret"));
        if (refused != 0) {
            return Answer.error(refused);
        }
        String token = tokens.rotate();
        return token == null ? Answer.error(45009)
                : Answer.json(Map.of("access_token", token, "expires_in", FakeTokens.LIFETIME.toSeconds()));
    }

    Answer stableToken(Map<String, Object> json) {
        int refused = credentials(json.get("grant_type"), json.get("appid"), json.get("secret"));
        if (refused != 0) {
            return Answer.error(refused);
        }
        String token = tokens.stable(Boolean.TRUE.equals(json.get("force_refresh")));
        return Answer.json(Map.of("access_token", token, "expires_in", tokens.expiresIn(token)));
    }

    /** 0 when the account's credentials are right, else WeChat's errcode. */
    private int credentials(Object grantType, Object appid, Object givenSecret) {
        if (!"client_credential".equals(grantType)) {
            return 40002;
        }
        if (!appId.equals(appid)) {
            return 40013;
        }
        return secret.equals(givenSecret) ? 0 : 40125;
    }
}
