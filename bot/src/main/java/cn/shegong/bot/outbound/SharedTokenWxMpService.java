package cn.shegong.bot.outbound;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.mp.api.impl.WxMpServiceHttpClientImpl;
import me.chanjar.weixin.mp.config.WxMpConfigStorage;

/**
 * WxJava's HttpClient service with one fix: after taking the refresh lock it checks again whether
 * another replica has just refreshed the token, instead of fetching (and rotating) it once more —
 * WxJava 4.7 does not re-check (shared/wechat.md §6.3).
 */
final class SharedTokenWxMpService extends WxMpServiceHttpClientImpl {

    @Override
    public String getAccessToken(boolean forceRefresh) throws WxErrorException {
        WxMpConfigStorage storage = getWxMpConfigStorage();
        if (!forceRefresh && !storage.isAccessTokenExpired()) {
            return storage.getAccessToken();
        }
        Lock lock = storage.getAccessTokenLock();
        boolean locked = false;
        try {
            locked = lock.tryLock(3, TimeUnit.SECONDS);
            if (!locked) {
                throw new WxRuntimeException("timed out waiting for the access-token lock");
            }
            if (!forceRefresh && !storage.isAccessTokenExpired()) {
                return storage.getAccessToken();
            }
            return extractAccessToken(storage.isStableAccessToken()
                    ? doGetStableAccessTokenRequest(forceRefresh) : doGetAccessTokenRequest());
        } catch (IOException e) {
            throw new WxRuntimeException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WxRuntimeException(e);
        } finally {
            if (locked) {
                lock.unlock();
            }
        }
    }
}
