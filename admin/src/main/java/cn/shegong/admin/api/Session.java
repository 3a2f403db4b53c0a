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

    Scope scope() {
        return new Scope(role, areaCode);
    }
}
