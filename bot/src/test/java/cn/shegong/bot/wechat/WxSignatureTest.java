package cn.shegong.bot.wechat;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tencent's published vectors (shared/wechat.md §3.5), recomputed. */
class WxSignatureTest {

    @Test
    void v1ServerVerification() {
        assertEquals("f464b24fc39322e44b38aa78f5edd27bd1441696", WxSignature.sign("AAAAA", "1714036504", "1514711492"));
    }

    @Test
    void v2PlaintextPush() {
        assertEquals("899cf89e464efb63f54ddac96b0a0a235f53aa78", WxSignature.sign("AAAAA", "1714037059", "486452656"));
    }

    @Test
    void v3SafeModeMsgSignatureCoversTheEncryptValue() {
        String encrypt = "+qdx1OKCy+5JPCBFWw70tm0fJGb2Jmeia4FCB7kao+/Q5c/ohsOzQHi8khUOb05JCpj0JB4RvQMkUyus8TPxLKJGQqcvZqzDpVzazhZv6JsXUnnR8XGT740XgXZUXQ7vJVnAG+tE8NUd4yFyjPy7GgiaviNrlCTj+l5kdfMuFUPpRSrfMZuMcp3Fn2Pede2IuQrKEYwKSqFIZoNqJ4M8EajAsjLY2km32IIjdf8YL/P50F7mStwntrA2cPDrM1kb6mOcfBgRtWygb3VIYnSeOBrebufAlr7F9mFUPAJGj04=";
        assertEquals("046e02f8204d34f8ba5fa3b1db94908f3df2e9b3", WxSignature.sign("AAAAA", "1714112445", "415670741", encrypt));
    }

    @Test
    void matchesAcceptsTheRightSignatureAndRefusesEverythingElse() {
        assertTrue(WxSignature.matches("f464b24fc39322e44b38aa78f5edd27bd1441696", "AAAAA", "1714036504", "1514711492"));
        assertTrue(WxSignature.matches("F464B24FC39322E44B38AA78F5EDD27BD1441696", "AAAAA", "1714036504", "1514711492"));
        assertFalse(WxSignature.matches("f464b24fc39322e44b38aa78f5edd27bd1441697", "AAAAA", "1714036504", "1514711492"));
        assertFalse(WxSignature.matches("f464b24fc39322e44b38aa78f5edd27bd1441696", "AAAAA", "1714036505", "1514711492"));
        assertFalse(WxSignature.matches(null, "AAAAA", "1714036504", "1514711492"));
        assertFalse(WxSignature.matches("da39a3ee5e6b4b0d3255bfef95601890afd80709", "AAAAA", "", null),
                "missing timestamp or nonce never matches, not even the hash of the token alone");
    }
}
