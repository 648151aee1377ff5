package dev.quarry.testing;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A real transient failure, made by PostgreSQL itself as a busy database would: the first chunk insert after
 * {@link #install} fails with a serialization failure (SQLSTATE 40001), so the ingest attempt that stores is
 * retried by Quarry's policy; every later insert passes. A sequence counts the attempts because its
 * increments survive the rollback of the failing store.
 */
public final class ChunkStoreFailure {
    private ChunkStoreFailure() {
    }

    public static void install(JdbcTemplate jdbc) {
        jdbc.execute("drop sequence if exists test_store_attempts");
        jdbc.execute("create sequence test_store_attempts");
        jdbc.execute("""
                create or replace function test_fail_store() returns trigger language plpgsql as $$
                begin
                    if nextval('test_store_attempts') = 1 then
                        raise exception 'could not serialize access' using errcode = '40001';
                    end if;
                    return new;
                end $$""");
        jdbc.execute("create trigger test_fail_store before insert on chunks for each row "
                + "execute function test_fail_store()");
    }

    public static void remove(JdbcTemplate jdbc) {
        jdbc.execute("drop trigger if exists test_fail_store on chunks");
        jdbc.execute("drop function if exists test_fail_store()");
        jdbc.execute("drop sequence if exists test_store_attempts");
    }
}
