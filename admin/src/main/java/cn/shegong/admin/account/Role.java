package cn.shegong.admin.account;

/** Console roles; each account also has an area (city, county or township code) it may see. */
public enum Role {
    /** 市级管理员: the whole city. */
    CITY,
    /** 县级管理员: one county. */
    COUNTY,
    /** 站长: one township's station. */
    STATION,
    /** 审计员: read-only, the audit log. */
    AUDITOR
}
