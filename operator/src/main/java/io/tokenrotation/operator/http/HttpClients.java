package io.tokenrotation.operator.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The one OkHttp stack of the operator's upstream calls. Every Vault and Dynatrace client derives
 * from {@link #shared()} with {@code newBuilder()}, which shares the connection pool and
 * dispatcher: connections are reused across resources and nothing is built per call. A custom CA
 * yields a derived client that trusts exactly that CA; hostname verification stays on and there is
 * no way to switch TLS verification off.
 */
public final class HttpClients {
  private final OkHttpClient shared;
  private final ConcurrentHashMap<String, OkHttpClient> byCa = new ConcurrentHashMap<>();

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Enough for every reconcile thread to have its calls in flight; OkHttp's defaults (64 / 5 per
   * host) are not.
   */
  static final int MAX_REQUESTS = 256;

  /** 10 s connect, 30 s read; the whole call may take connect + read. */
  public HttpClients() {
    this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT);
  }

  /** The whole call (connect, write, read) may take {@code connectTimeout + readTimeout}. */
  public HttpClients(Duration connectTimeout, Duration readTimeout) {
    this(connectTimeout, readTimeout, readTimeout.plus(connectTimeout));
  }

  public HttpClients(Duration connectTimeout, Duration readTimeout, Duration callTimeout) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(MAX_REQUESTS);
    // Most calls go to one Vault and one Dynatrace host: the per-host cap must not be the
    // bottleneck.
    dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
    this.shared =
        new OkHttpClient.Builder()
            .connectionPool(new ConnectionPool(64, 5, TimeUnit.MINUTES))
            .dispatcher(dispatcher)
            .connectTimeout(connectTimeout)
            .readTimeout(readTimeout)
            .writeTimeout(readTimeout)
            .callTimeout(callTimeout)
            .retryOnConnectionFailure(
                false) // a retried POST could create a second token: retries are the reconciler's
            .followRedirects(false)
            .build();
  }

  public OkHttpClient shared() {
    return shared;
  }

  /** A client trusting {@code pemBundle} (one or more PEM certificates), cached per bundle. */
  public OkHttpClient trusting(String pemBundle) {
    return byCa.computeIfAbsent(pemBundle, this::buildTrusting);
  }

  private OkHttpClient buildTrusting(String pem) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends Certificate> certificates =
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate in the CA bundle");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      X509TrustManager trustManager = null;
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager x) {
          trustManager = x;
        }
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustManager}, null);
      return shared.newBuilder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "the CA bundle is not valid PEM X.509: " + e.getClass().getSimpleName());
    }
  }

  /** For tests: the certificates a PEM bundle holds. */
  static int certificateCount(String pem) throws GeneralSecurityException {
    return CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream()
        .filter(X509Certificate.class::isInstance)
        .toList()
        .size();
  }
}
