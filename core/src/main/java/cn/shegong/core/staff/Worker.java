package cn.shegong.core.staff;

import java.util.List;
import java.util.Optional;

import cn.shegong.core.casework.Category;

/**
 * A member of a station's staff: 站长 (head) or 社工 (worker), the categories they are skilled in,
 * how many open cases they can carry, and (once bound) their WeChat openid for reminders.
 */
public record Worker(String id, String name, String stationCode, Role role, List<Category> skills, int capacity,
                     boolean active, Optional<String> openid) {

    public enum Role { HEAD, WORKER }
}
