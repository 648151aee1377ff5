package dev.quarry.api.jobs;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.Caller;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.jobs.JobPriority;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@code priority} a submission asks for ({@code ?priority=0..100}, higher first), checked against the
 * caller's role: anyone may lower its job below the default (a bulk load that can wait), only a tenant admin
 * or an operator may raise one above it, since a raised job overtakes every other tenant's jobs of the
 * default priority. Without a request the job type's default holds.
 */
public final class RequestedPriority {
    private RequestedPriority() {
    }

    /** The priority the job gets: {@code requested}, or {@code typeDefault} when nothing was asked. */
    public static int resolve(Caller caller, Integer requested, int typeDefault) {
        if (requested == null) return typeDefault;
        if (requested < JobPriority.MIN || requested > JobPriority.MAX) {
            throw new ApiProblem(ProblemKind.INVALID_PRIORITY, "priority is " + JobPriority.MIN + " to "
                    + JobPriority.MAX + " (higher runs first), not " + requested);
        }
        if (requested > typeDefault && !caller.isAdmin() && !caller.isOperator()) {
            throw new ApiProblem(ProblemKind.PRIORITY_NOT_ALLOWED, "a user may lower its job's priority, not raise it "
                    + "above the default " + typeDefault + "; a tenant admin or an operator may");
        }
        return requested;
    }

    /**
     * A request's fingerprint parts with the requested priority added: the same key with another priority is
     * another request (422). Nothing is added when none was asked, so fingerprints stored before priorities
     * existed still match their replays.
     */
    public static byte[][] fingerprinted(Integer requested, byte[]... parts) {
        if (requested == null) return parts;
        byte[][] all = Arrays.copyOf(parts, parts.length + 1);
        all[parts.length] = ("priority=" + requested).getBytes(StandardCharsets.UTF_8);
        return all;
    }
}
