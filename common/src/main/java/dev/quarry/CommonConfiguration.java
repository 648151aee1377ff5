package dev.quarry;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** Imported by the api and worker applications: jobs, events, documents, chunks, the embedder, idempotency, exports, the audit trail, deletion, erasure, retention, trace export, hybrid search (the API serves it, the chat job grounds on it), conversations, the language models, analytics (tracked requests and daily aggregates). */
@Configuration(proxyBeanMethods = false)
@ComponentScan(basePackages = {"dev.quarry.jobs", "dev.quarry.events", "dev.quarry.embedding", "dev.quarry.documents",
        "dev.quarry.chunks", "dev.quarry.reindex", "dev.quarry.idempotency", "dev.quarry.exports", "dev.quarry.audit",
        "dev.quarry.deletion", "dev.quarry.erasure", "dev.quarry.retention", "dev.quarry.telemetry", "dev.quarry.search",
        "dev.quarry.conversations", "dev.quarry.llm", "dev.quarry.analytics"})
public class CommonConfiguration {
}
