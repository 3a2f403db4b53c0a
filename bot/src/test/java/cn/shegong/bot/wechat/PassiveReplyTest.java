package cn.shegong.bot.wechat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PassiveReplyTest {

    @Test
    void swapsSenderAndAccountAndCarriesTheTextIntact() {
        var to = new InboundMessage.Envelope("gh_account", "o-resident", Instant.ofEpochSecond(1), "text");
        String text = "收到]]><MsgType>news</MsgType>";
        Map<String, String> reply = WxXml.parse(PassiveReply.text(to, text, Instant.ofEpochSecond(1764381600))
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("o-resident", reply.get("ToUserName"));
        assertEquals("gh_account", reply.get("FromUserName"));
        assertEquals("1764381600", reply.get("CreateTime"));
        assertEquals("text", reply.get("MsgType"));
        assertEquals(text, reply.get("Content"));
    }
}
