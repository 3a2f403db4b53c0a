package cn.shegong.core.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Jedis clients for {@code REDIS_URL}: one server ({@code redis://}, {@code rediss://} for TLS) or
 * a primary found through Sentinel ({@code redis-sentinel://[user:password@]host:port,host:port/primary[/db]},
 * {@code rediss-sentinel://} for TLS to the primary), which follows a failover by itself.
 * <p>
 * A bounded pool: {@link Redis#POOL_SIZE} connections, made up front so a burst never waits on
 * connects, and a borrower waits at most {@link #BORROW_WAIT} — an unbounded wait in commons-pool2
 * spins, and on one CPU the spinning virtual thread starves the one that would return a connection
 * (the stall of issue 9). Every command times out after {@link #COMMAND_TIMEOUT}.
 */
final class RedisClients {

    private static final int PREPARED = 16;
    private static final Duration BORROW_WAIT = Duration.ofSeconds(2);
    /**
     * Redis answers in well under a millisecond; a second without an answer means it is stalled
     * or gone, and the caller falls back to what this instance keeps (see {@link Redis#orElse})
     * while WeChat's 5 seconds still leave room for the reply.
     */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(RedisClients.class.getName());

    private RedisClients() {
    }

    static boolean sentinel(URI url) {
        return url.getScheme() != null && url.getScheme().endsWith("-sentinel");
    }

    static UnifiedJedis connect(URI url) {
        if (sentinel(url)) {
            return sentinelClient(url);
        }
        RedisClient client = RedisClient.builder().hostAndPort(JedisURIHelper.getHostAndPort(url))
                .clientConfig(config(JedisURIHelper.getUser(url), JedisURIHelper.getPassword(url), JedisURIHelper.getDBIndex(url),
                        JedisURIHelper.isRedisSSLScheme(url)))
                .poolConfig(pool()).build();
        try {
            client.getPool().preparePool();
        } catch (Exception e) {
            LOG.fine(() -> "Redis pool not prepared: " + e.getClass().getSimpleName()); // requireReachable says why
        }
        return client;
    }

    /** Drops idle connections to a server that went away (they would fail once each); Sentinel's client renews its own. */
    static void clearIdle(UnifiedJedis client) {
        if (client instanceof RedisClient single) {
            single.getPool().clear();
        }
    }

    private static UnifiedJedis sentinelClient(URI url) {
        String authority = url.getRawAuthority();
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String[] credentials = authority.substring(0, at).split(":", 2);
            user = credentials[0].isEmpty() ? null : credentials[0];
            password = credentials.length > 1 ? credentials[1] : null;
            authority = authority.substring(at + 1);
        }
        Set<HostAndPort> sentinels = new LinkedHashSet<>();
        Arrays.stream(authority.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(s -> sentinels.add(HostAndPort.from(s)));
        String[] path = url.getPath().replaceFirst("^/", "").split("/");
        int database = path.length > 1 ? Integer.parseInt(path[1]) : 0;
        return RedisSentinelClient.builder().masterName(path[0]).sentinels(sentinels)
                .clientConfig(config(user, password, database, url.getScheme().startsWith("rediss")))
                .sentinelClientConfig(config(null, null, 0, false))
                .poolConfig(pool()).build();
    }

    private static JedisClientConfig config(String user, String password, int database, boolean tls) {
        return DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis((int) COMMAND_TIMEOUT.toMillis())
                .socketTimeoutMillis((int) COMMAND_TIMEOUT.toMillis())
                .clientSetInfoConfig(ClientSetInfoConfig.DISABLED) // no extra round trip on each new connection
                .user(user).password(password).database(database).ssl(tls)
                .build();
    }

    private static ConnectionPoolConfig pool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(Redis.POOL_SIZE);
        pool.setMaxIdle(Redis.POOL_SIZE);
        pool.setMinIdle(PREPARED);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(BORROW_WAIT);
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return pool;
    }
}
