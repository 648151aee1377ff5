package dev.quarry.testing;

import dev.quarry.CommonConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/** A minimal application around the common beans, for common's own integration tests. */
@SpringBootApplication
@Import(CommonConfiguration.class)
public class CommonTestApplication {
}
