package dev.quarry.api.jobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class RedisListenerConfiguration {

    /** The API's one pub/sub connection, shared by all job event streams. */
    @Bean
    RedisMessageListenerContainer jobEventListenerContainer(RedisConnectionFactory redis) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(redis);
        // Listeners only queue a catch-up and return, so they can run on the subscription thread
        // instead of a new thread per message (the default executor's behaviour).
        container.setTaskExecutor(Runnable::run);
        container.setRecoveryInterval(2000);
        return container;
    }
}
