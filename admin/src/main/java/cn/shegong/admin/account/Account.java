package cn.shegong.admin.account;

import java.time.Instant;
import java.util.Optional;

/** A console account. The password hash never leaves the store. */
public record Account(String id, String username, Role role, String areaCode, int failedLogins,
                      Optional<Instant> lockedUntil, boolean mustChangePassword) {
}
