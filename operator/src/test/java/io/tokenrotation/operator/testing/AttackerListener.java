package io.tokenrotation.operator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server standing in for an attacker's: it counts every TCP connection it accepts (so a TLS
 * handshake counts as much as a plain request) and answers plain HTTP {@code 200 {}} to whatever
 * arrives. What the operator would send it is not kept: the count is the evidence.
 */
public final class AttackerListener implements AutoCloseable {
  private final ServerSocket socket;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  public AttackerListener() throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "attacker-listener");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        connections.incrementAndGet();
        client.setSoTimeout(500);
        InputStream in = client.getInputStream();
        byte[] buffer = new byte[4096];
        try {
          in.read(buffer); // the start of the request; its content does not matter
        } catch (IOException ignored) {
          // a client that sends nothing (or a TLS hello that never completes) still counted
        }
        OutputStream out = client.getOutputStream();
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
