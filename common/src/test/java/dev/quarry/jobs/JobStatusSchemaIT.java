package dev.quarry.jobs;

import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status and type lists the schema holds itself are the enums' lists: they cannot drift apart. */
@SpringBootTest(classes = CommonTestApplication.class)
class JobStatusSchemaIT {
    private static final Pattern LITERAL = Pattern.compile("'([A-Z_]+)'");

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired JdbcTemplate jdbc;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
    }

    @Test
    void the_database_refuses_a_status_the_enum_does_not_know() {
        assertThatThrownBy(() -> jdbc.update(
                "insert into jobs (id, tenant_id, type, status) values (?, 'acme', 'INGEST', 'DONE')", UUID.randomUUID()))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("jobs_status_known");
    }

    @Test
    void the_database_refuses_a_type_the_enum_does_not_know() {
        assertThatThrownBy(() -> jdbc.update(
                "insert into jobs (id, tenant_id, type, status) values (?, 'acme', 'ARCHIVE', 'QUEUED')", UUID.randomUUID()))
                .isInstanceOf(DataIntegrityViolationException.class).hasMessageContaining("jobs_type_known");
    }

    @Test
    void the_status_check_lists_exactly_the_enums_statuses() {
        assertThat(literals(constraint("jobs_status_known"))).isEqualTo(names(JobStatus.values()));
    }

    @Test
    void the_type_check_lists_exactly_the_enums_types() {
        assertThat(literals(constraint("jobs_type_known"))).isEqualTo(names(JobType.values()));
    }

    @Test
    void the_waiting_index_covers_exactly_the_waiting_statuses() {
        String index = jdbc.queryForObject("select indexdef from pg_indexes where indexname = 'jobs_waiting'", String.class);
        assertThat(literals(index)).isEqualTo(names(JobStatus.WAITING.toArray(JobStatus[]::new)));
    }

    @Test
    void closing_ended_reindexes_looks_at_exactly_the_terminal_statuses() {
        String function = jdbc.queryForObject(
                "select pg_get_functiondef('quarry_close_ended_reindexes(text)'::regprocedure)", String.class);
        assertThat(literals(function)).isEqualTo(names(JobStatus.TERMINAL.toArray(JobStatus[]::new)));
    }

    @Test
    void sql_renders_a_set_as_a_list_of_literals() {
        assertThat(JobStatus.sql(JobStatus.WAITING)).isEqualTo("'QUEUED', 'RETRY_SCHEDULED'");
        assertThat(literals(JobStatus.sql(JobStatus.ACTIVE)))
                .isEqualTo(names(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRY_SCHEDULED, JobStatus.CANCEL_REQUESTED));
    }

    private String constraint(String name) {
        return jdbc.queryForObject("select pg_get_constraintdef(oid) from pg_constraint where conname = ?",
                String.class, name);
    }

    private static Set<String> literals(String sql) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = LITERAL.matcher(sql);
        while (matcher.find()) found.add(matcher.group(1));
        return found;
    }

    private static Set<String> names(Enum<?>... values) {
        return new TreeSet<>(Arrays.stream(values).map(Enum::name).toList());
    }
}
