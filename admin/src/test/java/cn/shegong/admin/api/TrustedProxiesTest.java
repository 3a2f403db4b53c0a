package cn.shegong.admin.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which peers' X-Forwarded-For is believed: an exact address, or an IPv4 range; nothing else. */
class TrustedProxiesTest {

    @Test
    void anExactAddressOrARangeIsTrustedAndNothingNear() {
        assertTrue(Http.covers("172.30.0.10", "172.30.0.10"));
        assertFalse(Http.covers("172.30.0.10", "172.30.0.11"));
        assertTrue(Http.covers("10.244.0.0/16", "10.244.17.3"));
        assertFalse(Http.covers("10.244.0.0/16", "10.245.0.1"));
        assertTrue(Http.covers("0.0.0.0/0", "8.8.8.8"), "a /0 covers everything (an operator's explicit choice)");
        assertFalse(Http.covers("10.244.0.0/16", "fe80::1"), "an IPv6 peer is never inside an IPv4 range");
        assertFalse(Http.covers("10.244.0.0/16", "10.244.0.999"), "not an address");
    }
}
