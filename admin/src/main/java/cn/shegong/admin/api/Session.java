package cn.shegong.admin.api;

import cn.shegong.admin.account.Role;

/** A signed-in console user, as kept in Redis. Public fields for JSON. */
public final class Session {
    public String id;
    public String accountId;
    public String username;
    public Role role;
    public String areaCode;
    public String csrf;
    public long lastSeenMillis;
    public boolean mustChangePassword;
    /** Why the password must change: "expired" after 90 days, else someone else set it. */
    public String changeReason = "";

    Scope scope() {
        return new Scope(role, areaCode);
    }
}
