package io.tokenrotation.operator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HttpClients}: one shared stack, derived clients trusting exactly a given CA, bad PEM
 * refused.
 */
class HttpClientsTest {
  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir static Path dir;
  static String serverCaPem;
  static String otherCaPem;
  static HttpsServer https;

  /**
   * Self-signed CA certificates (also the server's certificate, SAN ip:127.0.0.1) made with
   * keytool.
   */
  @BeforeAll
  static void tls() throws Exception {
    serverCaPem = selfSigned("server");
    otherCaPem = selfSigned("other");
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.createContext(
        "/",
        exchange -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    https.start();
  }

  @AfterAll
  static void stop() {
    if (https != null) {
      https.stop(0);
    }
  }

  private static String selfSigned(String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    keytool(
        "-genkeypair",
        "-alias",
        name,
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + name + "-test-ca",
        "-ext",
        "san=ip:127.0.0.1",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit",
        "-keypass",
        "changeit",
        "-noprompt");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        name,
        "-keystore",
        store.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    return Files.readString(pem, StandardCharsets.US_ASCII);
  }

  private static void keytool(String... args) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new ArrayList<>();
    command.add(Files.isExecutable(keytool) ? keytool.toString() : "keytool");
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static String get(OkHttpClient client) throws Exception {
    Request request =
        new Request.Builder()
            .url("https://127.0.0.1:" + https.getAddress().getPort() + "/")
            .build();
    try (Response response = client.newCall(request).execute()) {
      return response.code() + " " + response.body().string();
    }
  }

  private final HttpClients http = new HttpClients(Duration.ofSeconds(2), Duration.ofSeconds(5));

  @Test
  void sharedIsOneClientWithTheConfiguredTimeoutsAndNoRetries() {
    OkHttpClient shared = http.shared();
    assertThat(http.shared()).isSameAs(shared);
    assertThat(shared.connectTimeoutMillis()).isEqualTo(2_000);
    assertThat(shared.readTimeoutMillis()).isEqualTo(5_000);
    assertThat(shared.callTimeoutMillis()).isEqualTo(7_000);
    assertThat(shared.retryOnConnectionFailure()).isFalse();
    assertThat(shared.followRedirects()).isFalse();
  }

  @Test
  void defaultsAndAnExplicitCallTimeoutAndADispatcherSizedForManyReconciles() {
    OkHttpClient defaults = new HttpClients().shared();
    assertThat(defaults.connectTimeoutMillis()).isEqualTo(10_000);
    assertThat(defaults.readTimeoutMillis()).isEqualTo(30_000);
    assertThat(defaults.dispatcher().getMaxRequests()).isEqualTo(256);
    assertThat(defaults.dispatcher().getMaxRequestsPerHost()).isEqualTo(256);
    assertThat(
            new HttpClients(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(9))
                .shared()
                .callTimeoutMillis())
        .isEqualTo(9_000);
  }

  @Test
  void trustingClientsAreCachedPerBundleAndShareThePoolAndDispatcher() {
    OkHttpClient trusting = http.trusting(serverCaPem);

    assertThat(http.trusting(serverCaPem)).isSameAs(trusting);
    assertThat(http.trusting(otherCaPem)).isNotSameAs(trusting);
    assertThat(trusting).isNotSameAs(http.shared());
    assertThat(trusting.connectionPool()).isSameAs(http.shared().connectionPool());
    assertThat(trusting.dispatcher()).isSameAs(http.shared().dispatcher());
    assertThat(trusting.readTimeoutMillis()).isEqualTo(http.shared().readTimeoutMillis());
    assertThat(trusting.hostnameVerifier()).isSameAs(http.shared().hostnameVerifier());
  }

  @Test
  void trustingTrustsExactlyThatCa() throws Exception {
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(serverCaPem.getBytes(StandardCharsets.US_ASCII)));
    OkHttpClient trusting = http.trusting(serverCaPem);

    assertThat(trusting.x509TrustManager().getAcceptedIssuers()).containsExactly(ca);
    assertThat(get(trusting)).isEqualTo("200 ok");
    assertThatThrownBy(() -> get(http.shared())).isInstanceOf(SSLException.class);
    assertThatThrownBy(() -> get(http.trusting(otherCaPem))).isInstanceOf(SSLException.class);
  }

  @Test
  void aBundleMayHoldSeveralCertificates() throws Exception {
    OkHttpClient both = http.trusting(otherCaPem + "\n" + serverCaPem);

    assertThat(HttpClients.certificateCount(otherCaPem + "\n" + serverCaPem)).isEqualTo(2);
    assertThat(both.x509TrustManager().getAcceptedIssuers()).hasSize(2);
    assertThat(get(both)).isEqualTo("200 ok");
  }

  @Test
  void garbageIsRefused() {
    String broken =
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n";
    for (String pem :
        List.of("garbage", "", broken, serverCaPem.substring(0, serverCaPem.length() / 2))) {
      assertThatThrownBy(() -> http.trusting(pem))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("CA bundle");
    }
    assertThat(http.trusting(serverCaPem)).isNotNull();
  }
}
