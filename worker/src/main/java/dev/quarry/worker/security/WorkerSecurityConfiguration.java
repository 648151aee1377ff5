package dev.quarry.worker.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The worker's HTTP port serves only the actuator. Health stays open (orchestrators probe it); everything
 * else (metrics) needs HTTP Basic with {@code QUARRY_WORKER_USER}/{@code QUARRY_WORKER_PASSWORD}, the
 * operator credentials that also guard JobRunr's dashboard ({@link DashboardCredentialsCheck}). Without a
 * password nobody gets in: the metrics are refused rather than served to anyone.
 * <p>
 * Only in a worker process: when the API runs the jobs itself ({@code quarry.use-durable-worker=false}, which only
 * the API sets), the port is the API's and its own security chain guards it; a second any-request chain would
 * make the API refuse to start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "quarry.use-durable-worker", havingValue = "true", matchIfMissing = true)
class WorkerSecurityConfiguration {
    private static final Logger log = LoggerFactory.getLogger(WorkerSecurityConfiguration.class);

    @Bean
    SecurityFilterChain workerSecurity(HttpSecurity http) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .anyRequest().hasRole("OPERATOR"))
                .httpBasic(basic -> basic.realmName("quarry-worker"));
        return http.build();
    }

    @Bean
    UserDetailsService workerOperators(@Value("${quarry.worker.user:operator}") String user,
                                       @Value("${quarry.worker.password:}") String password) {
        PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        if (password.isBlank()) {
            log.warn("QUARRY_WORKER_PASSWORD (quarry.worker.password) is not set: the worker's metrics refuse "
                    + "every request");
            return new InMemoryUserDetailsManager();
        }
        return new InMemoryUserDetailsManager(User.withUsername(user).password(encoder.encode(password))
                .roles("OPERATOR").build());
    }
}
