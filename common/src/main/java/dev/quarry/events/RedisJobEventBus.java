package dev.quarry.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Live fan-out of job events over Redis pub/sub. Best effort by design: the event is already committed
 * to {@code job_events}, so when Redis is down a publish is dropped with a warning and SSE clients catch
 * up from the table. It never throws.
 */
@Component
public class RedisJobEventBus {
    private static final Logger log = LoggerFactory.getLogger(RedisJobEventBus.class);
    private final StringRedisTemplate redis;
    private final ObjectMapper json;

    public RedisJobEventBus(StringRedisTemplate redis, ObjectMapper json) {
        this.redis = redis;
        this.json = json;
    }

    public void publish(JobEvent event) {
        try {
            redis.convertAndSend(JobEventChannels.forJob(event.jobId()), json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event is not serializable", e);
        } catch (RuntimeException e) {
            log.warn("live event not published (Redis unavailable?): {}", e.toString());
        }
    }

    public JobEvent decode(String message) {
        try {
            return json.readValue(message, JobEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a job event: " + message, e);
        }
    }
}
