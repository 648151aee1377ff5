package dev.quarry.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.quarry.testing.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** docs/architecture.md's structural rules over the api module's main classes and those it depends on. */
@AnalyzeClasses(packages = "dev.quarry", importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ApiArchitectureTest {
    @ArchTest
    static final ArchRule packages_are_free_of_cycles = ArchitectureRules.PACKAGES_ARE_FREE_OF_CYCLES;

    @ArchTest
    static final ArchRule jobrunr_states_are_read_in_one_place = ArchitectureRules.JOBRUNR_STATES_ARE_READ_IN_ONE_PLACE;

    @ArchTest
    static final ArchRule the_api_reaches_jobrunr_only_through_the_dispatcher =
            ArchitectureRules.JOBRUNR_IS_NOT_REACHED_FROM_THE_WEB_EDGE;

    /**
     * The worker module is on the api's class path only for the single-process mode
     * (quarry.use-durable-worker=false): one configuration imports it, conditionally, and nothing else in the
     * API may call a worker class, so that the default split stays intact.
     */
    @ArchTest
    static final ArchRule only_the_single_process_mode_reaches_the_worker = noClasses()
            .that().resideInAPackage("dev.quarry.api..").and().resideOutsideOfPackage("dev.quarry.api.inprocess..")
            .should().dependOnClassesThat().resideInAPackage("dev.quarry.worker..")
            .because("the API runs jobs only when quarry.use-durable-worker=false imports the worker's configuration");
}
