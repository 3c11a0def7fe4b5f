package io.tokenrotation.sim.kubernetes;

import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Websocket upgrades (Fabric8's watches and informers; any other upgrade alike) through {@link
 * KubectlFront}: the raw request head goes to the mock server and the rest of the connection is
 * piped both ways, byte for byte, so the mock's own handshake answer and frames reach the client
 * unchanged.
 */
final class WebsocketTunnel {
  private final InetSocketAddress mock;
  private final FrontServer server;

  WebsocketTunnel(InetSocketAddress mock, FrontServer server) {
    this.mock = mock;
    this.server = server;
  }

  /** Pipes the client's connection to a new connection to the mock until either side closes. */
  void take(Request request, FrontServer.Connection client) throws IOException {
    InputStream clientIn = client.in();
    OutputStream clientOut = client.out();
    try (Socket upstream = new Socket()) {
      upstream.connect(mock, 5000);
      upstream.setTcpNoDelay(true);
      server.track(upstream);
      OutputStream upOut = upstream.getOutputStream();
      upOut.write(request.rawHead());
      upOut.flush();
      clientOut.flush();
      server
          .threads()
          .execute(
              () -> {
                try {
                  pipe(clientIn, upOut);
                } catch (IOException ignored) {
                  // either side closed
                } finally {
                  FrontServer.closeQuietly(upstream);
                }
              });
      try {
        pipe(upstream.getInputStream(), clientOut);
      } catch (IOException ignored) {
        // either side closed
      } finally {
        server.untrack(upstream);
      }
    }
  }

  private static void pipe(InputStream from, OutputStream to) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    while (true) {
      int n = from.read(buffer);
      if (n < 0) {
        return;
      }
      to.write(buffer, 0, n);
      to.flush();
    }
  }
}
