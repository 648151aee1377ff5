package dev.quarry.conversations;

import dev.quarry.jobs.Job;
import dev.quarry.jobs.JobDispatcher;
import dev.quarry.jobs.JobType;
import dev.quarry.jobs.NewJob;
import dev.quarry.jobs.PgJobStore;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.UUID;

/** The one way to start a grounded chat: the user's message and its CHAT job, in one transaction. */
@Service
public class Chats {
    private final PgMessages messages;
    private final PgConversations conversations;
    private final PgJobStore jobs;
    private final JobDispatcher dispatcher;

    Chats(PgMessages messages, PgConversations conversations, PgJobStore jobs, JobDispatcher dispatcher) {
        this.messages = messages;
        this.conversations = conversations;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    /** A question and the job that answers it. */
    public record Asked(Message question, Job job) {
    }

    /**
     * Stores the question and creates its job, joining the caller's transaction (with its idempotency record);
     * the job goes to JobRunr after commit, so a rollback leaves neither.
     */
    @Transactional
    public Asked ask(Conversation thread, String content, String metadata, String idempotencyKey, String traceParent) {
        UUID jobId = UUID.randomUUID();
        Job job = jobs.create(new NewJob(jobId, thread.tenantId(), JobType.CHAT, null, idempotencyKey, traceParent));
        Message question = messages.append(thread, MessageRole.USER, content, metadata, jobId);
        conversations.touch(thread.id());
        dispatcher.dispatchAfterCommit(jobId);
        return new Asked(question, job);
    }
}
