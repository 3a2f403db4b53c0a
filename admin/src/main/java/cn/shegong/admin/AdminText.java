package cn.shegong.admin;

import cn.shegong.core.text.TextKey;

/** The texts the console shows, each a file in {@code templates/texts/}. */
public enum AdminText implements TextKey {
    CONSOLE_HOME
}
