package dev.quarry.api.ratelimit;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The bucket store's own Lettuce connection, to the Redis that Spring's {@code spring.data.redis.*} names,
 * with the same credentials and TLS (a {@code rediss://} URL or {@code ssl.enabled}, the trust of
 * {@code ssl.bundle} when set, the peer's certificate always verified). Its own connection because its
 * commands must fail fast: a disconnected client rejects them at once instead of queueing them, and a
 * command waits at most {@code quarry.rate-limit.redis-timeout}, after which the request uses the local
 * buckets. Until a first connection is up, requests use the local buckets.
 */
class RedisBucketConnection implements AutoCloseable {
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private volatile CompletableFuture<StatefulRedisConnection<String, byte[]>> connecting;
    private volatile AsyncProxyManager<String> buckets;
    private final Duration waitForConnection;

    RedisBucketConnection(RedisConnectionDetails details, RedisProperties properties, Optional<SslBundles> bundles,
                          Duration commandTimeout) {
        RedisConnectionDetails.Standalone standalone = details.getStandalone();
        boolean tls = properties.getSsl().isEnabled()
                || (properties.getUrl() != null && properties.getUrl().startsWith("rediss://"));
        RedisURI.Builder builder = RedisURI.builder().withHost(standalone.getHost()).withPort(standalone.getPort())
                .withDatabase(standalone.getDatabase()).withTimeout(commandTimeout)
                .withSsl(tls).withVerifyPeer(SslVerifyMode.FULL);
        if (details.getPassword() != null) {
            if (details.getUsername() != null) {
                builder.withAuthentication(details.getUsername(), details.getPassword().toCharArray());
            } else {
                builder.withPassword(details.getPassword().toCharArray());
            }
        }
        this.uri = builder.build();
        this.waitForConnection = commandTimeout;
        Duration connectTimeout = properties.getConnectTimeout() == null ? Duration.ofSeconds(2)
                : properties.getConnectTimeout();
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout));
        String bundle = properties.getSsl().getBundle();
        if (tls && bundle != null && bundles.isPresent()) options.sslOptions(sslOptions(bundles.get().getBundle(bundle)));
        // Back within seconds of Redis returning (Lettuce's default backs off up to 30 s).
        this.resources = DefaultClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2, TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(options.build());
    }

    private static SslOptions sslOptions(SslBundle bundle) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider()
                .trustManager(bundle.getManagers().getTrustManagerFactory());
        if (bundle.getStores().getKeyStore() != null) ssl.keyManager(bundle.getManagers().getKeyManagerFactory());
        return ssl.build();
    }

    /**
     * The shared buckets, or empty while there is no connection (an attempt is then started, or a failed
     * one restarted, and awaited for at most the command timeout).
     */
    Optional<AsyncProxyManager<String>> buckets() {
        AsyncProxyManager<String> ready = buckets;
        if (ready != null) return Optional.of(ready);
        synchronized (this) {
            if (buckets != null) return Optional.of(buckets);
            if (connecting == null || connecting.isCompletedExceptionally()) {
                connecting = client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), uri)
                        .toCompletableFuture();
            }
            StatefulRedisConnection<String, byte[]> connection;
            try {
                connection = connecting.get(waitForConnection.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            } catch (ExecutionException | TimeoutException e) {
                return Optional.empty();
            }
            buckets = Bucket4jLettuce.casBasedBuilder(connection)
                    // A bucket left alone expires once it would be full again anyway.
                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                    .build()
                    .asAsync();
            return Optional.of(buckets);
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
