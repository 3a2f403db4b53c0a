package cn.shegong.admin.account;

import java.time.Instant;

/** A console account. The password hash never leaves the store. */
public record Account(String id, String username, Role role, String areaCode, boolean mustChangePassword,
                      Instant passwordChangedAt) {
}
