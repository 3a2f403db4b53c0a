package cn.shegong.bot.wechat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WxXmlTest {

    static Map<String, String> parse(String xml) {
        return WxXml.parse(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsWeChatsDocumentedTextMessage() {
        Map<String, String> m = parse("""
                <xml>
                  <ToUserName><![CDATA[toUser]]></ToUserName>
                  <FromUserName><![CDATA[fromUser]]></FromUserName>
                  <CreateTime>1348831860</CreateTime>
                  <MsgType><![CDATA[text]]></MsgType>
                  <Content><![CDATA[this is a test]]></Content>
                  <MsgId>1234567890123456</MsgId>
                </xml>""");
        assertEquals("fromUser", m.get("FromUserName"));
        assertEquals("this is a test", m.get("Content"));
        assertEquals("1234567890123456", m.get("MsgId"));
    }

    @Test
    void nestedElementsBecomeDottedPaths() {
        Map<String, String> m = parse("<xml><ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
                + "<ScanResult><![CDATA[1]]></ScanResult></ScanCodeInfo></xml>");
        assertEquals("qrcode", m.get("ScanCodeInfo.ScanType"));
    }

    @Test
    void cdataCannotBeClosedEarlyByTheText() {
        String hostile = "a]]><MsgType>image</MsgType><![CDATA[";
        String xml = "<xml><Content>" + WxXml.cdata(hostile) + "</Content></xml>";
        Map<String, String> m = parse(xml);
        assertEquals(hostile, m.get("Content"));
        assertFalse(m.containsKey("MsgType"));
    }

    @Nested
    class Refused {

        @Test
        void notXmlAtAll() {
            assertThrows(MalformedXmlException.class, () -> parse("{\"ToUserName\":\"gh_1\"}"));
            assertThrows(MalformedXmlException.class, () -> parse("<xml><Content>unclosed</xml>"));
            assertThrows(MalformedXmlException.class, () -> WxXml.parse(new byte[0]));
            assertThrows(MalformedXmlException.class, () -> parse("<root><Content>x</Content></root>"));
        }

        @Test
        void externalEntityIsNeverRead(@TempDir Path dir) throws Exception {
            Path secret = dir.resolve("secret.txt");
            Files.writeString(secret, "TOP-SECRET");
            String xxe = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                    + "<xml><Content>&x;</Content></xml>";
            MalformedXmlException e = assertThrows(MalformedXmlException.class, () -> parse(xxe));
            assertFalse(e.getMessage().contains("TOP-SECRET"));
        }

        @Test
        void anyDoctypeIsRefusedEvenWithoutEntities() {
            assertThrows(MalformedXmlException.class,
                    () -> parse("<!DOCTYPE xml SYSTEM \"http://127.0.0.1:9/x.dtd\"><xml><Content>hi</Content></xml>"));
        }

        @Test
        void billionLaughsIsRefusedBeforeExpanding() {
            StringBuilder dtd = new StringBuilder("<!DOCTYPE xml [<!ENTITY l0 \"ha\">");
            for (int i = 1; i < 10; i++) {
                dtd.append("<!ENTITY l").append(i).append(" \"")
                        .append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
            }
            dtd.append("]>");
            assertThrows(MalformedXmlException.class, () -> parse(dtd + "<xml><Content>&l9;</Content></xml>"));
        }

        @Test
        void deeplyNestedDocument() {
            String deep = "<a>".repeat(10_000) + "</a>".repeat(10_000);
            assertThrows(MalformedXmlException.class, () -> parse("<xml>" + deep + "</xml>"));
        }

        @Test
        void thousandsOfDistinctElements() {
            StringBuilder many = new StringBuilder("<xml>");
            for (int i = 0; i < 1_000; i++) {
                many.append("<F").append(i).append(">1</F").append(i).append('>');
            }
            assertThrows(MalformedXmlException.class, () -> parse(many + "</xml>"));
        }
    }
}
