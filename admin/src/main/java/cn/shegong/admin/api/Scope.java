package cn.shegong.admin.api;

import java.util.Optional;

import cn.shegong.admin.account.Role;
import cn.shegong.core.casework.Case;

/**
 * What an account may see: the city sees everything, a county its county, a station its township;
 * the auditor no cases at all. Anything outside is answered 404, as if it did not exist.
 */
record Scope(Role role, String areaCode) {

    boolean covers(Case c) {
        return switch (role) {
            case CITY -> true;
            case COUNTY -> c.township().map(t -> t.countyCode().equals(areaCode)).orElse(false);
            case STATION -> c.township().map(t -> t.code().equals(areaCode)).orElse(false);
            case AUDITOR -> false;
        };
    }

    /** Whether a place (a household's or an import row's township) is within the account's area. */
    boolean coversTownship(String townshipCode) {
        return switch (role) {
            case CITY -> true;
            case COUNTY -> townshipCode.startsWith(areaCode);
            case STATION -> townshipCode.equals(areaCode);
            case AUDITOR -> false;
        };
    }

    /** The county filter for searches (empty: no county restriction). */
    Optional<String> county() {
        return role == Role.COUNTY ? Optional.of(areaCode) : Optional.empty();
    }

    /** The township filter for searches. */
    Optional<String> township() {
        return role == Role.STATION ? Optional.of(areaCode) : Optional.empty();
    }

    /** The county a list asks for ({@code county=}), never wider than the account's own. */
    Optional<String> county(io.helidon.common.parameters.Parameters query) {
        return county().or(() -> query.first("county").asOptional().filter(c -> !c.isEmpty()));
    }

    /** The township a list asks for ({@code township=}): the account's own for a station, else one within its area. */
    Optional<String> township(io.helidon.common.parameters.Parameters query) {
        return township().or(() -> query.first("township").asOptional().filter(t -> !t.isEmpty())).filter(this::coversTownship);
    }

    /** Stations handle the case and call the person: they see name and phone in full. */
    boolean seesContactDetails() {
        return role == Role.STATION;
    }
}
