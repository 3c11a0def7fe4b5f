package io.tokenrotation.sim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.tokenrotation.sim.http.Json;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded API as kubectl uses it (same paths, query strings and Accept headers as kubectl
 * v1.32 sends), plus the Fabric8 websocket watch the operator relies on, through the same port.
 */
class KubectlFrontIT {
  private static final String AGGREGATED =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
          + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
  private static final String TABLE =
      "application/json;as=Table;v=v1;g=meta.k8s.io,"
          + "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
  private static final String TR =
      "/apis/tokenrotation.io/v1alpha1/namespaces/default/tokenrotations";

  private static EmbeddedKubernetes kube;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    kube = EmbeddedKubernetes.start(0);
    kube.installCrd(Path.of("..", "crds", "tokenrotations.tokenrotation.io-v1.yml"));
    kube.client()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName("default").endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  private static MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      tokenRotations() {
    return kube.client().genericKubernetesResources("tokenrotation.io/v1alpha1", "TokenRotation");
  }

  private static GenericKubernetesResource create(String name) {
    GenericKubernetesResource tr = new GenericKubernetesResource();
    tr.setApiVersion("tokenrotation.io/v1alpha1");
    tr.setKind("TokenRotation");
    tr.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
    tr.setAdditionalProperty(
        "spec",
        Map.of(
            "interval",
            "1h",
            "vault",
            Map.of(
                "address",
                "http://127.0.0.1:8200",
                "path",
                "dynatrace/" + name,
                "auth",
                Map.of("kubernetes", Map.of("role", "r"))),
            "dynatrace",
            Map.of(
                "environmentUrl",
                "http://127.0.0.1:8380",
                "managementToken",
                Map.of("vault", Map.of("path", "dynatrace/admin")))));
    return tokenRotations().inNamespace("default").resource(tr).create();
  }

  private static GenericKubernetesResource setStatus(
      String name, String ready, String reason, String tokenId) {
    GenericKubernetesResource current =
        tokenRotations().inNamespace("default").withName(name).get();
    current.setAdditionalProperty(
        "status",
        Map.of(
            "tokenId", tokenId,
            "lastRotationTime", Instant.now().minusSeconds(302).toString(),
            "conditions",
                List.of(
                    Map.of("type", "Stalled", "status", "False", "reason", "Idle"),
                    Map.of("type", "Ready", "status", ready, "reason", reason))));
    return tokenRotations().inNamespace("default").resource(current).updateStatus();
  }

  private static HttpResponse<String> get(String pathAndQuery, String accept) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(kube.url() + pathAndQuery))
            .header("Accept", accept)
            .header("User-Agent", "kubectl/v1.32.4 (linux/amd64) kubernetes/test")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode getJson(String pathAndQuery, String accept) throws Exception {
    HttpResponse<String> response = get(pathAndQuery, accept);
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    return Json.MAPPER.readTree(response.body());
  }

  @Test
  void discoveryDocumentsWithAndWithoutQueryStrings() throws Exception {
    JsonNode api = getJson("/api?timeout=32s", AGGREGATED);
    assertThat(api.path("kind").asText()).isEqualTo("APIVersions");
    assertThat(api.path("versions").toString()).isEqualTo("[\"v1\"]");
    assertThat(getJson("/api", "application/json")).isEqualTo(api);

    JsonNode apis = getJson("/apis?timeout=32s", AGGREGATED);
    assertThat(apis.path("kind").asText()).isEqualTo("APIGroupList");
    assertThat(apis.path("groups").findValuesAsText("name"))
        .contains("tokenrotation.io", "apiextensions.k8s.io", "coordination.k8s.io");

    JsonNode group = getJson("/apis/tokenrotation.io", "application/json");
    assertThat(group.path("kind").asText()).isEqualTo("APIGroup");
    assertThat(group.path("preferredVersion").path("groupVersion").asText())
        .isEqualTo("tokenrotation.io/v1alpha1");

    JsonNode resources = getJson("/apis/tokenrotation.io/v1alpha1?timeout=32s", "application/json");
    assertThat(resources.path("kind").asText()).isEqualTo("APIResourceList");
    assertThat(resources.path("groupVersion").asText()).isEqualTo("tokenrotation.io/v1alpha1");
    JsonNode tr = resources.path("resources").get(0);
    assertThat(tr.path("name").asText()).isEqualTo("tokenrotations");
    assertThat(tr.path("singularName").asText()).isEqualTo("tokenrotation");
    assertThat(tr.path("kind").asText()).isEqualTo("TokenRotation");
    assertThat(tr.path("namespaced").asBoolean()).isTrue();
    assertThat(tr.path("shortNames").toString()).isEqualTo("[\"tr\"]");
    assertThat(tr.path("verbs").toString()).contains("\"watch\"", "\"patch\"", "\"list\"");
    assertThat(resources.path("resources").findValuesAsText("name"))
        .contains("tokenrotations/status");

    JsonNode core = getJson("/api/v1", "application/json");
    assertThat(core.path("resources").findValuesAsText("name"))
        .contains(
            "namespaces",
            "secrets",
            "serviceaccounts",
            "serviceaccounts/token",
            "events",
            "configmaps");
    assertThat(
            getJson("/apis/coordination.k8s.io/v1", "application/json")
                .path("resources")
                .findValuesAsText("name"))
        .containsExactly("leases");
    assertThat(get("/apis/nothing.example.com/v1", "application/json").statusCode()).isEqualTo(404);
  }

  @Test
  void openApiV3DescribesTheCustomResourceForValidationAndExplain() throws Exception {
    JsonNode index = getJson("/openapi/v3", "application/json");
    String url =
        index
            .path("paths")
            .path("apis/tokenrotation.io/v1alpha1")
            .path("serverRelativeURL")
            .asText();
    assertThat(url).startsWith("/openapi/v3/apis/tokenrotation.io/v1alpha1?hash=");
    JsonNode doc = getJson(url, "application/json");
    JsonNode patch =
        doc.path("paths").path(TR.replace("/default/", "/{namespace}/") + "/{name}").path("patch");
    assertThat(patch.path("parameters").findValuesAsText("name")).contains("fieldValidation");
    JsonNode schema =
        doc.path("components").path("schemas").path("io.tokenrotation.v1alpha1.TokenRotation");
    assertThat(schema.path("properties").path("spec").path("required").toString())
        .contains("vault");
    assertThat(schema.path("x-kubernetes-group-version-kind").get(0).path("kind").asText())
        .isEqualTo("TokenRotation");
    HttpResponse<String> v2 =
        get("/openapi/v2", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
    assertThat(v2.statusCode()).isEqualTo(200);
  }

  @Test
  void tablesWithThePrinterColumnsOfTheCrd() throws Exception {
    create("table-a");
    setStatus("table-a", "True", "Rotated", "dt0c01.TABLEA");
    create("table-b");

    JsonNode table = getJson(TR + "?limit=500", TABLE);
    assertThat(table.path("kind").asText()).isEqualTo("Table");
    assertThat(table.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
    assertThat(table.path("metadata").path("resourceVersion").asText()).isNotEmpty();
    List<String> names = new ArrayList<>();
    List<Integer> priorities = new ArrayList<>();
    table
        .path("columnDefinitions")
        .forEach(
            c -> {
              names.add(c.path("name").asText());
              priorities.add(c.path("priority").asInt());
            });
    assertThat(names)
        .containsExactly(
            "Name",
            "Ready",
            "State",
            "Token",
            "Last Rotation",
            "Next Rotation",
            "Age",
            "Reason",
            "Message",
            "Path");
    assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 1, 1);
    assertThat(table.path("columnDefinitions").get(0).path("format").asText()).isEqualTo("name");

    JsonNode a = row(table, "table-a");
    assertThat(a.path("cells").get(1).asText()).isEqualTo("True");
    assertThat(a.path("cells").get(2).isNull()).as("no state written").isTrue();
    assertThat(a.path("cells").get(3).asText()).isEqualTo("dt0c01.TABLEA");
    assertThat(a.path("cells").get(4).asText()).matches("5m[0-9]+s");
    assertThat(a.path("cells").get(5).isNull()).isTrue();
    assertThat(a.path("cells").get(6).asText()).matches("[0-9]+s");
    assertThat(a.path("cells").get(7).asText()).isEqualTo("Rotated");
    assertThat(a.path("cells").get(9).asText()).isEqualTo("dynatrace/table-a");
    assertThat(a.path("object").path("kind").asText()).isEqualTo("PartialObjectMetadata");
    assertThat(a.path("object").path("metadata").path("name").asText()).isEqualTo("table-a");
    JsonNode b = row(table, "table-b");
    assertThat(b.path("cells").get(1).isNull()).isTrue();

    JsonNode single = getJson(TR + "/table-a", TABLE);
    assertThat(single.path("rows")).hasSize(1);
    assertThat(getJson(TR + "/table-a", "application/json").path("kind").asText())
        .isEqualTo("TokenRotation");
    assertThat(get(TR + "/missing", TABLE).statusCode()).isEqualTo(404);

    JsonNode secrets = getJson("/api/v1/namespaces/default/secrets", TABLE);
    assertThat(secrets.path("columnDefinitions").findValuesAsText("name")).contains("Name", "Age");
  }

  private static JsonNode row(JsonNode table, String name) {
    for (JsonNode row : table.path("rows")) {
      if (row.path("cells").get(0).asText().equals(name)) {
        return row;
      }
    }
    throw new AssertionError("no row " + name + " in " + table);
  }

  @Test
  void eventsAreFilteredByFieldSelectorAndListedAsEventList() throws Exception {
    for (String object : List.of("ev-one", "ev-two")) {
      kube.client()
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(object + ".1")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("tokenrotation.io/v1alpha1")
                  .withKind("TokenRotation")
                  .withName(object)
                  .withNamespace("default")
                  .withUid("uid-" + object)
                  .endInvolvedObject()
                  .withReason("Rotated")
                  .withType("Normal")
                  .withMessage("about " + object)
                  .build())
          .create();
    }
    // exactly what kubectl describe asks for
    JsonNode list =
        getJson(
            "/api/v1/namespaces/default/events?fieldSelector=involvedObject.uid%3Duid-ev-one%2C"
                + "involvedObject.name%3Dev-one%2CinvolvedObject.namespace%3Ddefault%2CinvolvedObject.kind%3DTokenRotation"
                + "&limit=500",
            "application/vnd.kubernetes.protobuf,application/json");
    assertThat(list.path("kind").asText()).isEqualTo("EventList");
    assertThat(list.path("apiVersion").asText()).isEqualTo("v1");
    assertThat(list.path("items").findValuesAsText("message")).containsExactly("about ev-one");
    assertThat(
            getJson(
                    "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name!%3Dev-one",
                    "application/json")
                .path("items")
                .findValuesAsText("message"))
        .contains("about ev-two")
        .doesNotContain("about ev-one");
    JsonNode table =
        getJson(
            "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dev-two", TABLE);
    assertThat(table.path("rows")).hasSize(1);
    assertThat(table.path("columnDefinitions").findValuesAsText("name"))
        .startsWith("Last Seen", "Type", "Reason", "Object", "Message");
  }

  private static HttpResponse<String> postProtobuf(String pathAndQuery, byte[] body)
      throws Exception {
    // a body the mock cannot read used to hang until the front gave up (20 s): fail well before
    // that
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(kube.url() + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", ProtobufBodiesTest.PROTOBUF)
            .header("Accept", "application/vnd.kubernetes.protobuf,application/json")
            .header("User-Agent", "kubectl/v1.32.4 (linux/amd64) kubernetes/test")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void protobufBodiesOfKubectlsTypedCreatesAreStoredAsJson() throws Exception {
    HttpResponse<String> created =
        postProtobuf(
            "/api/v1/namespaces/default/secrets?fieldManager=kubectl-create"
                + "&fieldValidation=Strict",
            ProtobufBodiesTest.bytes(ProtobufBodiesTest.SECRET));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("application/json");
    JsonNode secret =
        getJson(
            "/api/v1/namespaces/default/secrets/s2",
            "application/vnd.kubernetes.protobuf," + "application/json");
    assertThat(secret.path("kind").asText()).isEqualTo("Secret");
    assertThat(secret.path("type").asText()).isEqualTo("Opaque");
    assertThat(secret.path("data").path("a").asText()).isEqualTo("Yg==");
    assertThat(secret.path("metadata").path("namespace").asText()).isEqualTo("default");

    HttpResponse<String> refused =
        postProtobuf(
            "/api/v1/namespaces/default/resourcequotas",
            ProtobufBodiesTest.bytes(ProtobufBodiesTest.QUOTA));
    assertThat(refused.statusCode()).isEqualTo(415);
    JsonNode status = Json.MAPPER.readTree(refused.body());
    assertThat(status.path("kind").asText()).isEqualTo("Status");
    assertThat(status.path("reason").asText()).isEqualTo("UnsupportedMediaType");
    assertThat(status.path("message").asText())
        .contains("ResourceQuota", "--dry-run=client -o json");
    // journaled once, as sent, though the mock never saw it
    assertThat(
            kube.requests().stream()
                .filter(r -> r.path().equals("/api/v1/namespaces/default/resourcequotas"))
                .map(KubeRequest::method))
        .containsExactly("POST");
  }

  @Test
  void plainChunkedHttpWatchLikeKubectlWaitAndGetW() throws Exception {
    create("watched");
    JsonNode list = getJson(TR + "?fieldSelector=metadata.name%3Dwatched", "application/json");
    assertThat(list.path("items")).hasSize(1);
    String rv = list.path("metadata").path("resourceVersion").asText();
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        kube.url()
                            + TR
                            + "?fieldSelector=metadata.name%3Dwatched&resourceVersion="
                            + rv
                            + "&timeoutSeconds=20&watch=true"))
                .header("Accept", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    CompletableFuture.runAsync(
        () -> {
          try (BufferedReader reader =
              new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
              events.add(Json.MAPPER.readTree(line));
            }
          } catch (Exception ignored) {
            // stream closed at the end of the test
          }
        });
    setStatus("watched", "True", "Adopted", "dt0c01.WATCHED");
    // Events arrive in order: nothing changed since the list, so the first event is this change
    // (a replay of the listed state would come before it). No waiting for "nothing" needed.
    JsonNode modified = events.poll(10, TimeUnit.SECONDS);
    assertThat(modified).as("MODIFIED after a status change, and no event before it").isNotNull();
    assertThat(modified.path("type").asText()).isEqualTo("MODIFIED");
    assertThat(modified.path("object").path("status").path("tokenId").asText())
        .isEqualTo("dt0c01.WATCHED");
    create("not-watched");
    tokenRotations().inNamespace("default").withName("watched").delete();
    JsonNode next = events.poll(10, TimeUnit.SECONDS);
    // deletion waits for nothing here (no finalizer): the object disappears
    assertThat(next).isNotNull();
    assertThat(next.path("type").asText()).isIn("MODIFIED", "DELETED");
    while (!next.path("type").asText().equals("DELETED")) {
      next = events.poll(10, TimeUnit.SECONDS);
      assertThat(next).isNotNull();
    }
    assertThat(next.path("object").path("metadata").path("name").asText()).isEqualTo("watched");
    response.body().close();
  }

  @Test
  void tableWatchStartsWithAddedRows() throws Exception {
    create("table-watched");
    HttpResponse<InputStream> response =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        kube.url()
                            + TR
                            + "?fieldSelector=metadata.name%3Dtable-watched&watch=true"))
                .header("Accept", TABLE)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      JsonNode first = Json.MAPPER.readTree(reader.readLine());
      assertThat(first.path("type").asText()).isEqualTo("ADDED");
      assertThat(first.path("object").path("kind").asText()).isEqualTo("Table");
      assertThat(first.path("object").path("rows").get(0).path("cells").get(0).asText())
          .isEqualTo("table-watched");
    }
  }

  @Test
  void websocketWatchesOfFabric8PassThroughAndTheJournalStaysComplete() throws Exception {
    kube.clearRequests();
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (var watch =
        tokenRotations()
            .inNamespace("default")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, GenericKubernetesResource resource) {
                    seen.add(action + " " + resource.getMetadata().getName());
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      create("ws-watched");
      String event;
      do {
        event = seen.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("websocket watch event").isNotNull();
      } while (!event.equals("ADDED ws-watched"));
    }
    getJson(TR + "?limit=500", TABLE);
    List<KubeRequest> journal = kube.requests();
    assertThat(journal)
        .anySatisfy(
            r -> {
              assertThat(r.path()).isEqualTo(TR);
              assertThat(r.query()).contains("watch=true");
            });
    assertThat(journal)
        .anySatisfy(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.path()).isEqualTo(TR);
            });
    // the Table request is journaled once, as the client sent it; the front's own list/CRD reads
    // are not
    assertThat(
            journal.stream()
                .filter(r -> r.path().equals(TR) && "limit=500".equals(r.query()))
                .count())
        .isEqualTo(1);
    assertThat(journal)
        .noneMatch(r -> r.path().equals("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"));
  }

  @Test
  void realKubectlIfInstalled(@TempDir Path dir) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    Assumptions.assumeTrue(Files.isExecutable(kubectl), "kubectl not installed");
    create("kubectl-a");
    setStatus("kubectl-a", "True", "Rotated", "dt0c01.KUBECTLA");
    Path kubeconfig = dir.resolve("kubeconfig");
    kube.writeKubeconfig(kubeconfig);
    String wide = run(dir, kubectl.toString(), "get", "tr", "-o", "wide");
    assertThat(wide.lines().findFirst().orElse(""))
        .containsPattern(
            "NAME +READY +STATE +TOKEN +LAST ROTATION +NEXT ROTATION +AGE +REASON +MESSAGE +PATH");
    assertThat(wide)
        .containsPattern(
            "kubectl-a +True +dt0c01.KUBECTLA +5m[0-9]+s +[0-9]+s +Rotated "
                + "+dynatrace/kubectl-a");
    assertThat(
            run(
                dir,
                kubectl.toString(),
                "wait",
                "--for=condition=Ready",
                "tr/kubectl-a",
                "--timeout=20s"))
        .contains("condition met");
    assertThat(run(dir, kubectl.toString(), "describe", "tr", "kubectl-a"))
        .contains("Name:", "kubectl-a");
  }

  @Test
  void realKubectlCreatesBuiltInKindsItSendsInProtobuf(@TempDir Path dir) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    Assumptions.assumeTrue(Files.isExecutable(kubectl), "kubectl not installed");
    kube.writeKubeconfig(dir.resolve("kubeconfig"));
    String k = kubectl.toString();
    String timeout =
        "--request-timeout=10s"; // a body the front cannot pass on used to hang for 20 s
    assertThat(
            run(dir, k, "create", "secret", "generic", "kubectl-s1", "--from-literal=a=b", timeout))
        .contains("secret/kubectl-s1 created");
    assertThat(run(dir, k, "create", "namespace", "kubectl-demo", timeout))
        .contains("namespace/kubectl-demo created");
    assertThat(run(dir, k, "create", "configmap", "kubectl-c1", "--from-literal=k=v", timeout))
        .contains("configmap/kubectl-c1 created");
    assertThat(run(dir, k, "create", "serviceaccount", "kubectl-sa", timeout))
        .contains("serviceaccount/kubectl-sa created");
    assertThat(run(dir, k, "create", "token", "kubectl-sa", "--audience=vault", timeout))
        .startsWith("eyJ");

    assertThat(run(dir, k, "get", "secret", "kubectl-s1", "-o", "jsonpath={.data.a}", timeout))
        .isEqualTo("Yg==");
    assertThat(run(dir, k, "get", "namespace", "kubectl-demo", timeout))
        .containsPattern("kubectl-demo +[0-9]+s");
    assertThat(run(dir, k, "get", "secrets,configmaps,serviceaccounts", timeout))
        .contains("secret/kubectl-s1", "configmap/kubectl-c1", "serviceaccount/kubectl-sa");

    Exec quota = exec(dir, k, "create", "quota", "kubectl-q", "--hard=pods=1", timeout);
    assertThat(quota.exit()).isNotZero();
    assertThat(quota.out())
        .contains("ResourceQuota", "--dry-run=client -o json")
        .doesNotContain("Timeout");

    assertThat(run(dir, k, "delete", "secret", "kubectl-s1", timeout))
        .contains("secret \"kubectl-s1\" deleted");
    assertThat(run(dir, k, "delete", "namespace", "kubectl-demo", timeout))
        .contains("namespace \"kubectl-demo\" deleted");
    Exec gone = exec(dir, k, "get", "secret", "kubectl-s1", timeout);
    assertThat(gone.exit()).isNotZero();
    assertThat(gone.out()).contains("NotFound");
  }

  private record Exec(int exit, String out) {}

  private static String run(Path dir, String... command) throws Exception {
    Exec exec = exec(dir, command);
    assertThat(exec.exit()).as(String.join(" ", command) + ":\n" + exec.out()).isZero();
    return exec.out();
  }

  private static Exec exec(Path dir, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", dir.resolve("kubeconfig").toString());
    builder.environment().put("KUBECACHEDIR", dir.resolve("cache").toString());
    builder.environment().put("HOME", dir.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Exec(process.exitValue(), out);
  }
}
