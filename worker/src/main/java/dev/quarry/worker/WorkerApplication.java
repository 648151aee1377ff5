package dev.quarry.worker;

import dev.quarry.CommonConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * A worker process: JobRunr's BackgroundJobServer runs the job handlers found under this package. Start
 * several, anywhere that reaches PostgreSQL and Redis, to scale out; JobRunr coordinates them.
 */
@SpringBootApplication
@Import(CommonConfiguration.class)
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
