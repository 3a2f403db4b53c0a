package cn.shegong.core.resident;

import java.time.Instant;

/** A WeChat user of the account as we know them. */
public record Resident(String openid, Instant firstContactAt, Instant lastContactAt, String status) {
}
