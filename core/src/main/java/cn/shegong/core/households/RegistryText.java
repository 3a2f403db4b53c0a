package cn.shegong.core.households;

import cn.shegong.core.text.TextKey;

/** Why an import row was refused, as the county staff who fix the file read it (templates/texts/). */
public enum RegistryText implements TextKey {
    IMPORT_NO_NAME, IMPORT_ID_EMPTY, IMPORT_ID_EXCEL_MANGLED, IMPORT_ID_LENGTH, IMPORT_ID_CHARACTERS, IMPORT_ID_BIRTH_DATE,
    IMPORT_ID_CHECK_DIGIT, IMPORT_UNKNOWN_TOWNSHIP, IMPORT_UNKNOWN_CATEGORY, IMPORT_BAD_DATE, IMPORT_OUTSIDE_AREA, IMPORT_REASON_HEADING;

    static RegistryText of(IdNumbers.Problem p) {
        return valueOf("IMPORT_ID_" + p.name());
    }
}
