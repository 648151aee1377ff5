package dev.quarry.api.budgets;

import java.math.BigDecimal;

/** One budget's state for a day: its limits (null = unlimited) and what was used of them. */
record BudgetLine(BudgetScope scope, Long tokenLimit, BigDecimal costLimit, long tokensUsed, BigDecimal costUsed) {

    boolean unlimited() {
        return tokenLimit == null && costLimit == null;
    }

    Long tokensRemaining() {
        return tokenLimit == null ? null : Math.max(0, tokenLimit - tokensUsed);
    }

    BigDecimal costRemaining() {
        return costLimit == null ? null : costLimit.subtract(costUsed).max(BigDecimal.ZERO);
    }
}
