package dev.quarry.conversations;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A thread of one user (its {@code owner} is the token's {@code sub}) inside one tenant.
 *
 * @param collections the collections its chat may search; empty for every collection of the tenant
 * @param provider    the language-model provider its chat uses, or null for the tenant's default
 * @param model       that provider's model, or null for the provider's default
 * @param deletedAt   set while the thread is in the trash (soft deleted); null otherwise
 */
public record Conversation(UUID id, String tenantId, String owner, String title, List<String> collections,
                           String provider, String model, boolean pinned, boolean archived, Instant deletedAt,
                           Instant createdAt, Instant updatedAt) {
    public Conversation {
        collections = List.copyOf(collections);
    }

    public boolean deleted() {
        return deletedAt != null;
    }
}
