package dev.quarry.jobs;

import java.util.UUID;

/** Answer one user message; the {@code conversation_messages} row with this {@code job_id} is the question. */
public record ChatJob(UUID jobId, String tenantId) implements QuarryJobRequest {

    @Override
    public JobType jobType() {
        return JobType.CHAT;
    }

    @Override
    public Class<ChatHandler> getJobRequestHandler() {
        return ChatHandler.class;
    }
}
