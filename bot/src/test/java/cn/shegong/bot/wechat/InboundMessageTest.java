package cn.shegong.bot.wechat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InboundMessageTest {

    static Map<String, String> text() {
        Map<String, String> xml = new HashMap<>();
        xml.put("ToUserName", "gh_1");
        xml.put("FromUserName", "o-resident");
        xml.put("CreateTime", "1764381600");
        xml.put("MsgType", "text");
        xml.put("Content", "你好");
        xml.put("MsgId", "987654321");
        return xml;
    }

    static Map<String, String> event(String event, String key, String createTime) {
        Map<String, String> xml = new HashMap<>(text());
        xml.remove("Content");
        xml.remove("MsgId");
        xml.put("MsgType", "event");
        xml.put("Event", event);
        xml.put("EventKey", key);
        xml.put("CreateTime", createTime);
        return xml;
    }

    @Test
    void textKeepsItsFields() {
        var message = assertInstanceOf(InboundMessage.Text.class, InboundMessage.from(text()));
        assertEquals("你好", message.content());
        assertEquals(987654321L, message.msgId());
        assertEquals(Instant.ofEpochSecond(1764381600), message.envelope().createTime());
        assertEquals("m987654321", message.dedupKey());
    }

    @Test
    void eventsAreRecognisedBySenderTimeEventAndKey() {
        var click = InboundMessage.from(event("CLICK", "HELP", "1764381600"));
        assertEquals(click.dedupKey(), InboundMessage.from(event("CLICK", "HELP", "1764381600")).dedupKey());
        assertNotEquals(click.dedupKey(), InboundMessage.from(event("CLICK", "PROGRESS", "1764381600")).dedupKey(),
                "two buttons pressed in the same second are two events");
        assertNotEquals(click.dedupKey(), InboundMessage.from(event("CLICK", "HELP", "1764381601")).dedupKey());
    }

    @Test
    void missingOrBrokenCommonFieldsAreMalformed() {
        for (String field : new String[] {"ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId"}) {
            Map<String, String> xml = text();
            xml.remove(field);
            var e = assertThrows(MalformedXmlException.class, () -> InboundMessage.from(xml), field);
            assertTrue(e.getMessage().contains(field), e.getMessage());
        }
        Map<String, String> xml = text();
        xml.put("CreateTime", "yesterday");
        assertThrows(MalformedXmlException.class, () -> InboundMessage.from(xml));
    }
}
