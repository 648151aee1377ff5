package dev.quarry.api.admin;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantScopeTest {
    private final Caller acmeAdmin = new Caller("a", "acme", Set.of("user", "admin"));
    private final Caller operator = new Caller("o", "ops", Set.of("user", "operator"));

    @Test
    void a_tenant_admin_is_scoped_to_its_own_tenant_whatever_it_asks_for_or_not() {
        assertThat(TenantScope.of(acmeAdmin, null).tenant()).isEqualTo("acme");
        assertThat(TenantScope.of(acmeAdmin, " ").tenant()).isEqualTo("acme");
        assertThat(TenantScope.of(acmeAdmin, "acme").tenant()).isEqualTo("acme");
    }

    @Test
    void a_tenant_admin_asking_for_another_tenant_is_forbidden() {
        assertThatThrownBy(() -> TenantScope.of(acmeAdmin, "globex")).isInstanceOfSatisfying(ApiProblem.class,
                problem -> assertThat(problem.kind()).isEqualTo(ProblemKind.FORBIDDEN));
    }

    @Test
    void an_operator_sees_every_tenant_or_the_one_it_asks_for() {
        assertThat(TenantScope.of(operator, null).tenant()).isNull();
        assertThat(TenantScope.of(operator, "").tenant()).isNull();
        assertThat(TenantScope.of(operator, "globex").tenant()).isEqualTo("globex");
    }
}
