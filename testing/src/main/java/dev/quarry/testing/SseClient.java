package dev.quarry.testing;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream on a background thread and records what arrives, in order. */
public final class SseClient implements AutoCloseable {
    public record Event(long id, String name, String data) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Event> unlogged = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final HttpResponse<Stream<String>> response;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "sse-test-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static SseClient open(HttpClient http, HttpRequest request) {
        try {
            return new SseClient(http.send(request, HttpResponse.BodyHandlers.ofLines()));
        } catch (Exception e) {
            throw new IllegalStateException("could not open the event stream", e);
        }
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isEmpty()) {
                    if (id == null && name != null) {
                        unlogged.add(new Event(-1, name, data.toString()));
                    } else if (data.length() > 0 || name != null) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (data.length() > 0) data.append('\n');
                    data.append(line.substring(5).stripLeading());
                } else if (line.startsWith("retry:")) {
                    retries.add(line.substring(6).strip());
                }
            }
            ended.complete(null);
        } catch (RuntimeException e) {
            ended.completeExceptionally(e);
        }
    }

    public HttpResponse<Stream<String>> response() {
        return response;
    }

    /** The job's logged events: those with an id (a {@code job_events} row), in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** Named events without an id, such as {@code queue_position}: news of the moment, never replayed. */
    public List<Event> unlogged() {
        return List.copyOf(unlogged);
    }

    public List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    public List<String> retries() {
        return List.copyOf(retries);
    }

    /** True once the server closed the stream. */
    public boolean ended() {
        return ended.isDone();
    }

    @Override
    public void close() {
        if (!ended.isDone()) response.body().close();
    }
}
