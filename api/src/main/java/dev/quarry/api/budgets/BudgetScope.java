package dev.quarry.api.budgets;

/** Whose budget: a whole tenant's or one user's within it; the value is the {@code scope} column. */
enum BudgetScope {
    TENANT("tenant"), USER("user");

    private final String column;

    BudgetScope(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }

    static String key(BudgetScope scope, String tenant, String subject) {
        return scope == TENANT ? tenant : tenant + "/" + subject;
    }
}
