package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.sim.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HTTP/1.1 wire format of {@link KubectlFront}: reads a request off the connection (head, then
 * a Content-Length or chunked body) and writes responses (fixed length, or the chunked stream of a
 * watch). {@link FrontServer} runs the connections; no other class of the front reads or writes
 * HTTP.
 *
 * <p>Why not {@code sim/http}'s {@link io.tokenrotation.sim.http.SimHttpServer} (the JDK's {@code
 * com.sun.net.httpserver}), which the Dynatrace and Vault simulators run on: the front needs the
 * connection itself, and that server never hands it out.
 *
 * <ul>
 *   <li>Websocket upgrades (Fabric8's watches and informers) are tunnelled byte for byte ({@link
 *       WebsocketTunnel}): the raw request head goes to the mock, the mock's own {@code 101
 *       Switching Protocols} and every frame after it come back unchanged. The JDK server (17)
 *       reads no byte past an upgrade request's head (its request body is empty), writes a 101
 *       itself with a {@code Date} header and closes the response stream at once ("stream closed"
 *       on the first frame).
 *   <li>A plain HTTP watch ({@link WatchStreams}) notices between two polls that the client hung
 *       up, by reading the socket with a timeout. Through the JDK server's exchange it would notice
 *       only when a write fails, i.e. not before the next change: until then, up to timeoutSeconds
 *       (30 minutes by default), it would go on polling.
 *   <li>The mock's answers pass through with its headers as it wrote them (no {@code Date} added).
 * </ul>
 */
final class FrontHttp {
  private FrontHttp() {}

  /** A parsed request: what was asked plus the raw head (for tunnelling). */
  record Request(
      String method,
      String target,
      String path,
      String query,
      List<String[]> headers,
      byte[] body,
      byte[] rawHead) {
    String header(String name) {
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          return h[1];
        }
      }
      return null;
    }

    Map<String, String> params() {
      Map<String, String> params = new LinkedHashMap<>();
      if (query != null) {
        for (String pair : query.split("&")) {
          if (pair.isEmpty()) {
            continue;
          }
          int eq = pair.indexOf('=');
          String name =
              URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
          String value =
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          params.putIfAbsent(name, value);
        }
      }
      return params;
    }

    /** The query without the named parameters, with "?" if anything is left. */
    String queryWithout(Set<String> names) {
      if (query == null) {
        return "";
      }
      List<String> kept = new ArrayList<>();
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name =
            URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        if (!pair.isEmpty() && !names.contains(name)) {
          kept.add(pair);
        }
      }
      return kept.isEmpty() ? "" : "?" + String.join("&", kept);
    }

    /** The same request with another body and headers (e.g. a protobuf body as JSON). */
    Request with(List<String[]> newHeaders, byte[] newBody) {
      return new Request(method, target, path, query, newHeaders, newBody, rawHead);
    }
  }

  // ---------------------------------------------------------------- reading

  /** The next request on the connection, or null when the client closed it between requests. */
  static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (head.size() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside a request head");
      }
      head.write(b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2))
                  || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1
              : (b == '\r' ? 1 : 0);
      if (head.size() > 256 * 1024) {
        throw new IOException("request head too large");
      }
    }
    byte[] raw = head.toByteArray();
    String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] first = lines[0].split(" ");
    if (first.length < 3) {
      throw new IOException("bad request line " + lines[0]);
    }
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            new String[] {
              lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
            });
      }
    }
    String target = first[1];
    int q = target.indexOf('?');
    Request partial =
        new Request(
            first[0],
            target,
            q < 0 ? target : target.substring(0, q),
            q < 0 ? null : target.substring(q + 1),
            headers,
            new byte[0],
            raw);
    byte[] body = new byte[0];
    String length = partial.header("Content-Length");
    String encoding = partial.header("Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = readChunked(in);
    } else if (length != null && partial.header("Upgrade") == null) {
      body = in.readNBytes(Integer.parseInt(length.trim()));
    }
    return partial.with(headers, body);
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    if (b < 0) {
      throw new EOFException();
    }
    return line.toString();
  }

  // ---------------------------------------------------------------- writing

  /** A Kubernetes {@code Status} of a failure, as the API server answers errors. */
  static ObjectNode status(int code, String reason, String message) {
    ObjectNode status = Json.object();
    status.put("kind", "Status").put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    return status;
  }

  /** Answers with a failure {@link #status}. */
  static void respondStatus(OutputStream out, int code, String reason, String message)
      throws IOException {
    respondJson(out, code, "application/json", status(code, reason, message));
  }

  static void respondJson(OutputStream out, int status, String contentType, JsonNode body)
      throws IOException {
    respond(
        out,
        status,
        List.<String[]>of(new String[] {"Content-Type", contentType}),
        Json.MAPPER.writeValueAsBytes(body));
  }

  static void respond(OutputStream out, int status, List<String[]> headers, byte[] body)
      throws IOException {
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(status)
            .append(' ')
            .append(reason(status))
            .append("\r\n");
    boolean contentType = false;
    for (String[] h : headers) {
      contentType |= h[0].equalsIgnoreCase("Content-Type");
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    if (!contentType && body.length > 0 && (body[0] == '{' || body[0] == '[')) {
      head.append(
          "Content-Type: application/json\r\n"); // the mock often omits it; client-go relies on it
    }
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
  }

  /** The head of a chunked 200 response that ends the connection (a watch); flushed. */
  static void startChunked(OutputStream out, String contentType) throws IOException {
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: "
                + contentType
                + "\r\nCache-Control: no-cache, private\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static void writeChunk(OutputStream out, byte[] data) throws IOException {
    out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(data);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The last chunk; flushed. */
  static void endChunked(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Entity";
      case 500 -> "Internal Server Error";
      case 504 -> "Gateway Timeout";
      default -> "Status";
    };
  }
}
