package dev.quarry.worker.analytics;

import dev.quarry.analytics.DailyAnalytics;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.annotations.Recurring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Builds the daily analytics aggregates ({@code analytics_daily}) that {@code GET /api/v1/admin/analytics/daily-stats}
 * reads. A JobRunr recurring job, every {@code quarry.analytics.daily-interval} (15 min by default): every worker
 * registers it under one id and JobRunr's master server schedules each run once. Each run rebuilds yesterday (so the
 * last requests of a day are counted once the day is over) and today so far; a rebuild replaces the day's rows,
 * so runs that overlap or repeat count nothing twice. Public, with a public method: JobRunr calls it through Spring
 * by reflection.
 */
@Component
public class DailyAnalyticsBuild {
    static final String RECURRING_JOB_ID = "analytics-daily";
    private static final Logger log = LoggerFactory.getLogger(DailyAnalyticsBuild.class);
    private final DailyAnalytics daily;

    DailyAnalyticsBuild(DailyAnalytics daily) {
        this.daily = daily;
    }

    @Recurring(id = RECURRING_JOB_ID, interval = "${quarry.analytics.daily-interval:PT15M}")
    @Job(name = "Build daily analytics")
    public int build() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        int rows = daily.build(today.minusDays(1)) + daily.build(today);
        log.debug("daily analytics rebuilt for {} and {}: {} tenant rows", today.minusDays(1), today, rows);
        return rows;
    }
}
