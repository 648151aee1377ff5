package dev.quarry.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Uploads documents and searches through Quarry's real HTTP API, as any client would. */
public final class QuarryClient {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String api;
    private final String token;

    public QuarryClient(String api, String token) {
        this.api = api;
        this.token = token;
    }

    /** POST /api/v1/documents; returns the job id. */
    public UUID upload(String filename, String text, String metadataJson, String idempotencyKey)
            throws IOException, InterruptedException {
        MultipartBody body = new MultipartBody().file("file", filename, "text/plain", text.getBytes(StandardCharsets.UTF_8))
                .json("metadata", metadataJson);
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/documents"))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException("upload of " + filename + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = json.readTree(response.body());
        return UUID.fromString(answer.get("jobId").asText());
    }

    /** Uploads every document (name to text) with {@code concurrency} uploads in flight; returns the job ids. */
    public List<UUID> uploadAll(Map<String, String> documents, String keyPrefix, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<UUID>> uploads = new ArrayList<>();
            documents.forEach((name, text) -> uploads.add(pool.submit(() ->
                    upload(name, text, "{\"collection\":\"" + keyPrefix + "\"}", keyPrefix + "-" + name))));
            List<UUID> jobs = new ArrayList<>();
            for (Future<UUID> upload : uploads) jobs.add(upload.get());
            return jobs;
        } finally {
            pool.shutdown();
        }
    }

    /** POST /api/v1/documents/{id}/reingest; returns the job id. */
    public UUID reingest(UUID documentId, String idempotencyKey) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/api/v1/documents/" + documentId + "/reingest"))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), 202);
        return UUID.fromString(json.readTree(response.body()).get("jobId").asText());
    }

    /** POST /api/v1/documents/reingest with a JSON filter; returns the summary. */
    public JsonNode reingestAll(String filter, String idempotencyKey) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(api + "/api/v1/documents/reingest"))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(filter)).build(), 202);
        return json.readTree(response.body());
    }

    /** POST /api/v1/jobs/{id}/cancel. */
    public void cancel(UUID jobId) throws IOException, InterruptedException {
        send(HttpRequest.newBuilder(URI.create(api + "/api/v1/jobs/" + jobId + "/cancel"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), 202, 200);
    }

    /**
     * DELETE on JobRunr's dashboard API: JobRunr's own way to stop a job. The dashboard takes the worker's
     * operator credentials (HTTP Basic).
     */
    public void deleteInJobRunr(String dashboard, String user, String password, UUID jobId)
            throws IOException, InterruptedException {
        String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        send(HttpRequest.newBuilder(URI.create(dashboard + "/api/jobs/" + jobId)).header("Authorization", "Basic " + basic)
                .DELETE().build(), 204, 200);
    }

    private HttpResponse<String> send(HttpRequest request, int... expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        for (int status : expected) if (response.statusCode() == status) return response;
        throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }

    /** GET /api/v1/search with the given query parameters (values are URL-encoded here). */
    public JsonNode search(String query, String... params) throws IOException, InterruptedException {
        StringBuilder uri = new StringBuilder(api).append("/api/v1/search?q=")
                .append(URLEncoder.encode(query, StandardCharsets.UTF_8));
        for (int i = 0; i + 1 < params.length; i += 2) {
            uri.append('&').append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri.toString()))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("search answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** POST /api/v1/exports with a JSON body; returns the 202 answer. */
    public JsonNode export(String body, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/exports"))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IOException("export answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** GET of an API path (e.g. {@code /api/v1/exports/{id}}) answered with JSON. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IOException(path + " answered " + response.statusCode());
        return json.readTree(response.body());
    }
}
