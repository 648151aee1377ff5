package dev.quarry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body for java.net.http, which has no builder of its own. */
public final class MultipartBody {
    private final String boundary = "quarry-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public MultipartBody file(String name, String filename, String contentType, byte[] content) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n"
                + "Content-Type: " + contentType + "\r\n", content);
    }

    public MultipartBody json(String name, String json) {
        return json(name, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON part of exactly these bytes, valid UTF-8 or not. */
    public MultipartBody json(String name, byte[] json) {
        return part("Content-Disposition: form-data; name=\"" + name + "\"\r\nContent-Type: application/json\r\n",
                json);
    }

    private MultipartBody part(String headers, byte[] content) {
        write("--" + boundary + "\r\n" + headers + "\r\n");
        out.writeBytes(content);
        write("\r\n");
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public byte[] bytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return copy.toByteArray();
    }

    private void write(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
