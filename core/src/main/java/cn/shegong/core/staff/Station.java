package cn.shegong.core.staff;

/** One 社工站 per township; its code is the township's NBS code. */
public record Station(String code, String township, String county, String countyCode, String phone, boolean active) {
}
