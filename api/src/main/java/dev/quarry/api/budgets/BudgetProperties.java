package dev.quarry.api.budgets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.math.BigDecimal;
import java.time.ZoneId;

/**
 * {@code quarry.budget.*}: daily embedding budgets, in tokens and in USD, per tenant and per user. An unset
 * budget is unlimited (the default: the in-process models cost nothing). A day starts at midnight in
 * {@link #zone}.
 *
 * @param bytesPerToken how an upload's size becomes the token estimate charged when it is accepted (its
 *                      text is only known once the worker extracted it); 4 is a common rule for English text
 */
@ConfigurationProperties("quarry.budget")
record BudgetProperties(Limits tenant, Limits user, @DefaultValue("UTC") ZoneId zone,
                        @DefaultValue("4") int bytesPerToken) {

    BudgetProperties {
        tenant = tenant == null ? new Limits(null, null) : tenant;
        user = user == null ? new Limits(null, null) : user;
    }

    /** @param dailyTokens null for unlimited; @param dailyCost USD, null for unlimited */
    record Limits(Long dailyTokens, BigDecimal dailyCost) {
    }
}
