package dev.quarry.api.ratelimit;

import dev.quarry.api.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.RedisConnectionDetails;
import org.springframework.boot.autoconfigure.data.redis.RedisProperties;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Optional;

/**
 * Wires the limiter when {@code quarry.rate-limit.enabled} (the default). The filter is registered right
 * after Spring Security's chain, so the caller is known and no body has been read yet.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "quarry.rate-limit.enabled", matchIfMissing = true)
class RateLimitConfiguration {

    @Bean(destroyMethod = "close")
    RedisBucketConnection redisBucketConnection(RedisConnectionDetails details, RedisProperties redis,
                                                ObjectProvider<SslBundles> bundles, RateLimitProperties properties) {
        return new RedisBucketConnection(details, redis, Optional.ofNullable(bundles.getIfAvailable()),
                properties.redisTimeout());
    }

    @Bean
    TokenBuckets tokenBuckets(RedisBucketConnection redis, RateLimitProperties properties, MeterRegistry meters) {
        return new TokenBuckets(redis, properties, meters);
    }

    @Bean
    SharedBucketStates sharedBucketStates(RedisBucketConnection redis) {
        return new SharedBucketStates(redis);
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(TokenBuckets buckets, PgRateLimitTiers tiers,
                                                            RateLimitProperties properties, Problems problems,
                                                            MeterRegistry meters) {
        FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
                new RateLimitFilter(buckets, tiers, properties, problems, meters));
        // + 2: request tracking's caller capture (dev.quarry.api.analytics) runs at + 1, so a 429 names its caller.
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 2);
        return registration;
    }
}
