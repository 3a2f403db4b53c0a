package cn.shegong.bot.wechat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tencent's official encryption vectors (shared/wechat.md §3.5), recomputed both ways. */
class WxCryptoTest {

    static final String V3_ENCRYPT = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
    static final String V3_MSG = "{\"ToUserName\":\"gh_97417a04a28d\",\"FromUserName\":\"o9AgO5Kd5ggOC-bXrbNODIiE3bGY\",\"CreateTime\":1714112445,\"MsgType\":\"event\",\"Event\":\"debug_demo\",\"debug_str\":\"hello world\"}";
    final WxCrypto v3 = new WxCrypto("AAAAA", "A".repeat(43), "wxba5fad812f8e6fb9");

    final WxCrypto v5 = new WxCrypto("pamtest", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wxb11529c136998cb6");
    static final byte[] V5_RANDOM = "aaaabbbbccccdddd".getBytes(StandardCharsets.US_ASCII);

    @Test
    void v3SafeModeInboundDecryptsAndVerifies() {
        assertEquals(V3_MSG, v3.decrypt("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", "1714112445", "415670741", V3_ENCRYPT));
        assertEquals(V3_ENCRYPT, v3.encrypt("a8eedb185eb2fecf".getBytes(StandardCharsets.US_ASCII), V3_MSG),
                "and the same plaintext with the same random bytes encrypts to the published ciphertext");
    }

    @Test
    void v4SafeModeReplyEncryptsAndSigns() {
        String encrypt = v3.encrypt("707722b803182950".getBytes(StandardCharsets.US_ASCII), "{\"demo_resp\":\"good luck\"}");
        assertEquals("ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==", encrypt);
        assertEquals("1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1", WxSignature.sign("AAAAA", "1713424427", "415670741", encrypt));
    }

    @Test
    void v5AndV6TencentSampleCiphertexts() {
        assertEquals("jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
                v5.encrypt(V5_RANDOM, "我是中文abcd123"));
        String v6 = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
        String expected = "jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb";
        assertEquals(expected, v5.encrypt(V5_RANDOM, v6));
        String signature = WxSignature.sign("pamtest", "1409304348", "xxxxxx", expected);
        assertEquals(v6, v5.decrypt(signature, "1409304348", "xxxxxx", expected));
    }

    @Test
    void v5NegativeWrongSignatureIsRefused() {
        String encrypt = v5.encrypt(V5_RANDOM, "我是中文abcd123");
        var e = assertThrows(WebhookRejectedException.class, () -> v5.decrypt("12345", "1409304348", "xxxxxx", encrypt));
        assertEquals(403, e.status());
    }

    @Test
    void aMessageForAnotherAppIdIsRefusedEvenWithAValidSignature() {
        WxCrypto other = new WxCrypto("AAAAA", "A".repeat(43), "wx0000000000000000");
        String encrypt = other.encrypt(new byte[16], "<xml/>");
        var e = assertThrows(WebhookRejectedException.class,
                () -> v3.decrypt(WxSignature.sign("AAAAA", "1", "2", encrypt), "1", "2", encrypt));
        assertEquals("wrong_appid", e.outcome());
    }

    @Test
    void tamperedOrTruncatedCiphertextIsMalformed() {
        String encrypt = v3.encrypt(new byte[16], "<xml><a>1</a></xml>");
        for (String bad : new String[] {encrypt.substring(0, 24), "not base64!!", "AAAA" + encrypt.substring(4)}) {
            var e = assertThrows(WebhookRejectedException.class,
                    () -> v3.decrypt(WxSignature.sign("AAAAA", "1", "2", bad), "1", "2", bad), bad);
            assertTrue(e.status() == 400 || e.status() == 403, "refused, never decrypted: " + e.status());
        }
    }

    @Test
    void encryptedReplyRoundTripsThroughTheReceiverSide() {
        String reply = v3.encryptReply("<xml><Content><![CDATA[收到]]></Content></xml>", "1714112445", "415670741");
        var fields = WxXml.parse(reply.getBytes(StandardCharsets.UTF_8));
        assertEquals("1714112445", fields.get("TimeStamp"));
        assertEquals("415670741", fields.get("Nonce"), "the doc says echo the URL nonce");
        assertEquals("<xml><Content><![CDATA[收到]]></Content></xml>",
                v3.decrypt(fields.get("MsgSignature"), fields.get("TimeStamp"), fields.get("Nonce"), fields.get("Encrypt")));
    }
}
