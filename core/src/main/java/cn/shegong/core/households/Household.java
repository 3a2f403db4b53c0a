package cn.shegong.core.households;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A household under care (服务对象), decrypted. Members' names, ID numbers and phones are personal
 * data: stored sealed, found by a keyed hash of the ID number, shown masked unless a role may see them.
 *
 * @param categories care category code → the date the household was enrolled in it
 * @param plan       一户一策: needs and agreed services, free text (sealed)
 */
public record Household(String id, List<Member> members, String townshipCode, String village, String address,
                        Map<String, LocalDate> categories, Risk risk, Optional<String> workerId, Status status,
                        Optional<String> exitReason, Optional<LocalDate> exitedOn, String plan, Optional<String> nextVisit,
                        int version) {

    public enum Risk { HIGH, MEDIUM, LOW }

    public enum Status { ACTIVE, SUSPENDED, EXITED }

    /** A person in the household; the first is its head (户主) or the person cared for. */
    public record Member(String name, Optional<String> idNumber, Optional<String> phone, String relation,
                         Optional<LocalDate> birthDate) {
    }

    public Member head() {
        return members.get(0);
    }

    /** The head's name as roles without contact rights see it: 李* . */
    public String maskedName() {
        return HouseholdStore.masked(head().name());
    }

    /** The county: the first six digits of the township's area code. */
    public String countyCode() {
        return townshipCode.substring(0, Math.min(6, townshipCode.length()));
    }
}
