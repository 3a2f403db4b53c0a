package cn.shegong.fakewechat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The fake refuses menus the way WeChat documents (shared/wechat.md §4.6). */
class FakeMenuTest {

    static Map<String, Object> click(String name, String key) {
        return Map.of("type", "click", "name", name, "key", key);
    }

    @Test
    void aValidMenuPasses() {
        assertEquals(Optional.empty(), FakeMenu.validate(Map.of("button", List.of(click("我要求助", "HELP"),
                Map.of("name", "政策咨询", "sub_button", List.of(click("低保", "A"), click("特困供养", "B")))))));
    }

    @Test
    void brokenMenusGetWeChatsErrcodes() {
        assertEquals(Optional.of(40018), FakeMenu.validate(Map.of("button", List.of(click("这个名字太长了啊", "K")))),
                "a top-level name over 16 bytes (5 Chinese characters)");
        assertEquals(Optional.of(40016), FakeMenu.validate(Map.of("button", List.of(click("一", "1"), click("二", "2"),
                click("三", "3"), click("四", "4")))), "more than 3 buttons");
        assertEquals(Optional.of(40023), FakeMenu.validate(Map.of("button", List.of(Map.of("name", "组",
                "sub_button", List.of(click("1", "1"), click("2", "2"), click("3", "3"), click("4", "4"), click("5", "5"),
                        click("6", "6")))))), "more than 5 sub-buttons");
        assertEquals(Optional.of(40017), FakeMenu.validate(Map.of("button", List.of(Map.of("type", "tap", "name", "按钮")))));
        assertEquals(Optional.of(40019), FakeMenu.validate(Map.of("button", List.of(click("按钮", "")))));
    }
}
