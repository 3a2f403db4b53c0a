package cn.shegong.fakewechat;

import java.time.Instant;

/**
 * A follower as the fake platform knows them: whether they follow, when they last interacted (which
 * opens the 48-hour customer-service window), how many customer-service messages they got since.
 */
final class FakeUser {

    final String openid;
    boolean subscribed = true;
    boolean blacklisted;
    boolean blocksTemplates;
    Instant lastInteraction;
    Instant subscribedAt;
    int sentSinceInteraction;

    FakeUser(String openid, Instant now) {
        this.openid = openid;
        this.lastInteraction = now;
        this.subscribedAt = now;
    }
}
