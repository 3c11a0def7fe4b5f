package io.tokenrotation.sim.kubernetes;

import io.tokenrotation.sim.kubernetes.FrontHttp.Request;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The listening socket and the connections of {@link KubectlFront}: one thread per connection,
 * HTTP/1.1 with keep-alive in the wire format of {@link FrontHttp} (which says why this is not
 * {@code sim/http}'s server), plain HTTP. A request with an {@code Upgrade} header takes over the
 * rest of its connection; any other is answered by the front's {@link Handler}.
 */
final class FrontServer implements Closeable {
  private static final Logger LOG = Logger.getLogger(KubectlFront.class.getName());

  /**
   * One client connection: its socket and buffered streams, for a watch that streams or a tunnel
   * that takes over.
   */
  record Connection(Socket socket, InputStream in, OutputStream out) {}

  interface Handler {
    /** Answers one request; false when the connection must end (after a watch). */
    boolean answer(Request request, Connection connection) throws IOException;
  }

  interface Upgrade {
    /** Serves the rest of the connection after an upgrade request (nothing read past its head). */
    void take(Request request, Connection connection) throws IOException;
  }

  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FrontServer(ServerSocket server) {
    this.server = server;
    AtomicInteger counter = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "kubectl-front-" + counter.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Binds {@code address:port} (0: any free port); connections are accepted from {@link #start} on.
   */
  static FrontServer listen(InetAddress address, int port) {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(address, port), 128);
      return new FrontServer(server);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot listen on " + address.getHostAddress() + ":" + port + ": " + e, e);
    }
  }

  void start(Handler handler, Upgrade upgrade) {
    Thread acceptor = new Thread(() -> acceptLoop(handler, upgrade), "kubectl-front-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * The threads of the connections, also for the work they hand off (tunnel pipes, the HTTP
   * client's).
   */
  ExecutorService threads() {
    return threads;
  }

  /**
   * Closes {@code socket} (e.g. a tunnel's connection to the mock) with the server, unless {@link
   * #untrack}ed.
   */
  void track(Socket socket) {
    sockets.add(socket);
  }

  void untrack(Socket socket) {
    sockets.remove(socket);
  }

  private void acceptLoop(Handler handler, Upgrade upgrade) {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        threads.execute(() -> serve(socket, handler, upgrade));
      } catch (IOException e) {
        if (!closed) {
          LOG.log(Level.WARNING, "accept failed", e);
        }
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    threads.shutdownNow();
  }

  private void serve(Socket socket, Handler handler, Upgrade upgrade) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      Connection connection = new Connection(socket, in, out);
      while (!closed) {
        Request request = FrontHttp.read(in);
        if (request == null) {
          return;
        }
        if (request.header("Upgrade") != null) {
          upgrade.take(request, connection);
          return;
        }
        boolean keepAlive = !"close".equalsIgnoreCase(request.header("Connection"));
        if (!handler.answer(request, connection)) {
          return;
        }
        out.flush();
        if (!keepAlive) {
          return;
        }
      }
    } catch (SocketException | EOFException e) {
      // client went away
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        LOG.log(Level.FINE, "connection failed", e);
      }
    } finally {
      sockets.remove(socket);
    }
  }

  static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
