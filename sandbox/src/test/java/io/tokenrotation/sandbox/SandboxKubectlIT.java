package io.tokenrotation.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox as kubectl sees it: the operator (Fabric8 websocket informers) and kubectl-style
 * clients (Tables, plain HTTP watches) share the front port, an example resource becomes Ready, and
 * the cleanup dry run shows its candidates in {@code kubectl get tcp}.
 */
class SandboxKubectlIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TR =
      "/apis/tokenrotation.io/v1alpha1/namespaces/default/tokenrotations";
  private static final String TCP =
      "/apis/tokenrotation.io/v1alpha1/namespaces/default/tokencleanuppolicies";

  /** The stale-tokens row of {@code kubectl get tcp}, as the Table the front serves. */
  private static JsonNode cleanupRow(HttpClient http, String base) throws Exception {
    JsonNode table =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create(base + TCP))
                        .header(
                            "Accept",
                            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    for (JsonNode row : table.path("rows")) {
      if (row.path("cells").path(0).asText().equals("stale-tokens")) {
        return row;
      }
    }
    return JSON.createObjectNode();
  }

  /** The token in the Secret secret-sync-token (key apiToken), or null while there is none. */
  private static String secretSyncToken(HttpClient http, String base) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(base + "/api/v1/namespaces/default/secrets/secret-sync-token"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      return null;
    }
    String data = JSON.readTree(answer.body()).path("data").path("apiToken").asText("");
    return data.isEmpty()
        ? null
        : new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
  }

  @Test
  void theOperatorWorksThroughTheFrontAndAWatchSeesReady(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    try (Sandbox sandbox =
        new Sandbox(
            new SandboxOptions(
                0, 0, 0, kubeconfig, null, true, null, SandboxOptions.Kube.EMBEDDED))) {
      sandbox.applyExamples();
      String base = sandbox.kube.url();
      assertThat(Files.readString(kubeconfig)).contains("server: " + base);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      // kubectl wait --for=condition=Ready tr/master: a plain HTTP watch with a field selector,
      // JSON objects
      HttpResponse<InputStream> watch =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          base
                              + TR
                              + "?fieldSelector=metadata.name%3Dmaster&timeoutSeconds=60&watch=true"))
                  .header("Accept", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
      assertThat(watch.statusCode()).isEqualTo(200);
      boolean ready = false;
      try (BufferedReader reader =
          new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8))) {
        String line;
        while (!ready && (line = reader.readLine()) != null) {
          for (JsonNode c : JSON.readTree(line).path("object").path("status").path("conditions")) {
            ready |=
                c.path("type").asText().equals("Ready") && c.path("status").asText().equals("True");
          }
        }
      }
      assertThat(ready).as("master became Ready, seen through a plain HTTP watch").isTrue();

      HttpResponse<String> table =
          http.send(
              HttpRequest.newBuilder(URI.create(base + TR))
                  .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode rows = JSON.readTree(table.body()).path("rows");
      assertThat(rows.findValuesAsText("name"))
          .contains("automation-script1", "automation-script2", "master");

      // kubectl get tcp: the CRD's printer columns, filled in by the cleanup dry run (2 stale
      // tokens, none touched)
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  cleanupRow(http, base).path("cells").path(1).asText().equals("Report")
                      && cleanupRow(http, base).path("cells").path(2).asInt(-1) == 2);
      JsonNode tcp =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + TCP))
                          .header(
                              "Accept",
                              "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      assertThat(tcp.path("columnDefinitions").findValuesAsText("name"))
          .containsExactly(
              "Name",
              "Action",
              "Matched",
              "Acted",
              "Last Run",
              "Age",
              "Ready",
              "Reason",
              "Next Run");
      assertThat(tcp.path("rows").get(0).path("cells").path(3).asInt(-1)).as("ACTED").isZero();
      assertThat(sandbox.dynatrace.tokens())
          .extracting(t -> t.name())
          .contains("legacy-export", "jane-dashboard-sync", "ci-pipeline");

      // secret-sync keeps the Secret secret-sync-token (key apiToken) at the token Vault holds
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> secretSyncToken(http, base) != null);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  sandbox
                      .vault
                      .readKv("", "secret", "dynatrace/secret_sync")
                      .map(m -> m.get("token"))
                      .orElse("")
                      .equals(secretSyncToken(http, base)));

      Path kubectl = Path.of("/usr/bin/kubectl");
      if (Files.isExecutable(kubectl)) { // optional: the real thing, when installed
        ProcessBuilder builder =
            new ProcessBuilder(
                    kubectl.toString(),
                    "wait",
                    "--for=condition=Ready",
                    "tr/automation-script1",
                    "--timeout=60s")
                .redirectErrorStream(true);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
        builder.environment().put("HOME", dir.toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("condition met");

        ProcessBuilder get =
            new ProcessBuilder(kubectl.toString(), "get", "tcp").redirectErrorStream(true);
        get.environment().putAll(builder.environment());
        Process listing = get.start();
        String printed =
            new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(listing.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(printed)
            .containsPattern("NAME +ACTION +MATCHED +ACTED +LAST RUN +AGE")
            .containsPattern("stale-tokens +Report +2 +0 ");

        ProcessBuilder secret =
            new ProcessBuilder(
                    kubectl.toString(),
                    "get",
                    "secret",
                    "secret-sync-token",
                    "-o",
                    "jsonpath={.metadata.annotations.tokenrotation\\.io/token-id}")
                .redirectErrorStream(true);
        secret.environment().putAll(builder.environment());
        Process shown = secret.start();
        String tokenId = new String(shown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(shown.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(tokenId).as("kubectl shows the public id only").matches("dt0c01\\.[A-Z0-9]{24}");
      }
    }
  }
}
