package dev.quarry.testing;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structural rules of docs/architecture.md, applied by each module's {@code ArchitectureTest} to the classes
 * it sees (its own and those of the modules it depends on). Module boundaries themselves are Maven's: a
 * module cannot compile against one it does not depend on.
 */
public final class ArchitectureRules {
    /** The one class that reads JobRunr's states; everything else asks it. */
    public static final String JOBRUNR_BRIDGE = "dev.quarry.jobs.JobRunrBridge";

    /**
     * Every package is its own slice, so a parent and its sub-package (embedding and embedding.openai) count
     * as two: neither may import the other in both directions, nor may any longer loop close.
     */
    public static final ArchRule PACKAGES_ARE_FREE_OF_CYCLES = slices().matching("dev.quarry.(**)")
            .should().beFreeOfCycles()
            .because("a feature's packages depend on each other in one direction only");

    public static final ArchRule JOBRUNR_STATES_ARE_READ_IN_ONE_PLACE = noClasses()
            .that().doNotHaveFullyQualifiedName(JOBRUNR_BRIDGE)
            .should().dependOnClassesThat().haveFullyQualifiedName("org.jobrunr.jobs.states.StateName")
            .because("JobRunr's states are mapped to Quarry's in one place, " + JOBRUNR_BRIDGE);

    public static final ArchRule JOBRUNR_IS_NOT_REACHED_FROM_THE_WEB_EDGE = noClasses()
            .that().resideInAPackage("dev.quarry.api..")
            .should().dependOnClassesThat().resideInAnyPackage("org.jobrunr.scheduling..", "org.jobrunr.storage..")
            .because("the API hands jobs over through dev.quarry.jobs's dispatcher, never to JobRunr directly");

    private ArchitectureRules() {
    }
}
