package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.tokenrotation.sim.http.Json;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Fabric8 CRUD dispatcher plus what the operator needs from a real API server and the mock
 * lacks: the TokenRequest subresource ({@code POST .../serviceaccounts/NAME/token}), and a journal
 * of every request.
 */
public class EmbeddedApiDispatcher extends KubernetesCrudDispatcher {
  private static final Pattern TOKEN_REQUEST =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/]+)/token$");

  private final ServiceAccountJwts jwts;
  private final Clock clock;
  private final ConcurrentLinkedQueue<KubeRequest> journal = new ConcurrentLinkedQueue<>();
  private final KubeFaults faults = new KubeFaults();

  private final PathKeys pathKeys = new PathKeys(super::getKey);
  private final StatusWrites statusWrites;

  /** The mock's object store, replaced by one indexed by name (see {@link NameIndexedStore}). */
  private final NameIndexedStore store;

  /** The mock's own lock (a reentrant read-write lock) around every read and write of the store. */
  private final ReadWriteLock storeLock;

  public EmbeddedApiDispatcher(ServiceAccountJwts jwts, Clock clock) {
    super(new ArrayList<>());
    this.store = installIndexedStore();
    this.storeLock = mockLock();
    this.statusWrites = new StatusWrites(this, store);
    this.jwts = jwts;
    this.clock = clock;
  }

  /**
   * Requests that {@link KubectlFront} makes on its own behalf (discovery data, the lists behind
   * Tables and plain HTTP watches) carry this header and stay out of the journal; the front
   * journals the client's request instead.
   */
  public static final String INTERNAL_HEADER = "X-Embedded-Front-Internal";

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String full = request.getPath();
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    if (request.getHeader(INTERNAL_HEADER) == null) {
      record(request.getMethod(), full, request.getHeader("User-Agent"));
    }
    if (request.getHeader(INTERNAL_HEADER) == null) {
      var fault = faults.take(request.getMethod(), path);
      if (fault.isPresent()) {
        return new MockResponse()
            .setResponseCode(fault.get())
            .setHeader("Content-Type", "application/json")
            .setBody(KubeFaults.statusBody(fault.get()));
      }
    }
    Matcher token = TOKEN_REQUEST.matcher(path);
    if (token.matches() && "POST".equalsIgnoreCase(request.getMethod())) {
      return tokenRequest(token.group(1), token.group(2), request.getUtf8Body());
    }
    if (path.equals("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        && "POST".equalsIgnoreCase(request.getMethod())) {
      return selfSubjectRulesReview(request.getUtf8Body());
    }
    return super.dispatch(request);
  }

  /**
   * The mock keeps its objects in a final field it fills itself; swapping it for the indexed store
   * before anything is stored is the only way in (the mock has no factory for it). Done once, at
   * construction.
   */
  private NameIndexedStore installIndexedStore() {
    try {
      Field field = CrudDispatcher.class.getDeclaredField("map");
      field.setAccessible(true);
      NameIndexedStore indexed = new NameIndexedStore();
      field.set(this, indexed);
      return indexed;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "the Fabric8 mock's object store is not where it used to be", e);
    }
  }

  private ReadWriteLock mockLock() {
    try {
      Field field = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      field.setAccessible(true);
      return (ReadWriteLock) field.get(this);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the Fabric8 mock's lock is not where it used to be", e);
    }
  }

  /** Status writes are served by {@link StatusWrites} (with the 409 the mock lacks). */
  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    String path = request.getPath();
    if (!StatusWrites.isStatusWrite(path) || request.getBody() == null) {
      return super.handleUpdate(request);
    }
    var write = storeLock.writeLock();
    write.lock();
    try {
      // getBytes() leaves the body in place for the mock (getUtf8Body() would consume it)
      return statusWrites
          .serve(path, request.getBody().getBytes())
          .orElseGet(() -> super.handleUpdate(request));
    } finally {
      write.unlock();
    }
  }

  /** The key of a path, remembered ({@link PathKeys}). */
  @Override
  public AttributeSet getKey(String path) {
    return pathKeys.of(path);
  }

  /**
   * A new resourceVersion only if the object changed, as the mock decides, but by comparing the
   * trees instead of computing a JSON patch between them (the mock's way: a tenth of a status
   * write's time). Both trees carry the stored resourceVersion at this point, so equal trees mean
   * an unchanged object.
   */
  @Override
  public void touchResourceVersion(JsonNode currentResource, JsonNode updatedResource) {
    if (!currentResource.equals(updatedResource)) {
      ((ObjectNode) updatedResource.get("metadata"))
          .put("resourceVersion", String.valueOf(requestResourceVersion()));
    }
  }

  /** One object by name: an index look-up instead of the mock's scan over every object. */
  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    List<Map.Entry<AttributeSet, String>> found = store.findByName(query);
    if (found == null) {
      return super.findResource(query);
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * GET of one object answered from the index, as the mock would: the body, or a bare 404. Anything
   * with a query (watches, lists with selectors, which may name an object too) goes the mock's own
   * way.
   */
  @Override
  public MockResponse handleGet(String path) {
    if (path.indexOf('?') >= 0) {
      return super.handleGet(path);
    }
    List<Map.Entry<AttributeSet, String>> found = store.findByName(getKey(path));
    if (found == null) {
      return super.handleGet(path);
    }
    return found.isEmpty()
        ? new MockResponse().setResponseCode(404)
        : new MockResponse().setResponseCode(200).setBody(found.get(0).getValue());
  }

  /**
   * Journals a request answered (or answered in part) outside the mock, e.g. by {@link
   * KubectlFront}.
   */
  void record(String method, String pathAndQuery, String userAgent) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    journal.add(
        new KubeRequest(
            clock.instant(),
            method,
            path,
            q < 0 ? null : pathAndQuery.substring(q + 1),
            userAgent));
  }

  /** Every request so far, oldest first. */
  public KubeFaults faults() {
    return faults;
  }

  public List<KubeRequest> requests() {
    return List.copyOf(journal);
  }

  public void clearRequests() {
    journal.clear();
  }

  /**
   * JOSDK's leader election asks which Lease permissions it has before it starts (the CRUD mock
   * would answer 422: a review has no metadata). This server has no RBAC: the answer is
   * "everything" (the request is journaled, so RBAC audits still see it).
   */
  private MockResponse selfSubjectRulesReview(String body) {
    ObjectNode response = Json.object();
    response.put("kind", "SelfSubjectRulesReview");
    response.put("apiVersion", "authorization.k8s.io/v1");
    response.putObject("metadata");
    try {
      response.set("spec", Json.MAPPER.readTree(body).path("spec"));
    } catch (Exception e) {
      response.putObject("spec");
    }
    ObjectNode status = response.putObject("status");
    ObjectNode all = status.putArray("resourceRules").addObject();
    all.putArray("verbs").add("*");
    all.putArray("apiGroups").add("*");
    all.putArray("resources").add("*");
    status.putArray("nonResourceRules");
    status.put("incomplete", false);
    return new MockResponse()
        .setResponseCode(201)
        .setHeader("Content-Type", "application/json")
        .setBody(response.toString());
  }

  private MockResponse tokenRequest(String namespace, String serviceAccount, String body) {
    try {
      JsonNode request = Json.MAPPER.readTree(body);
      List<String> audiences = new ArrayList<>();
      request.path("spec").path("audiences").forEach(a -> audiences.add(a.asText()));
      long ttl = request.path("spec").path("expirationSeconds").asLong(3600);
      ttl = Math.max(600, Math.min(ttl, 86_400)); // the API server's bounds
      String jwt =
          jwts.issue(
              namespace,
              serviceAccount,
              UUID.nameUUIDFromBytes((namespace + "/" + serviceAccount).getBytes()).toString(),
              audiences,
              Duration.ofSeconds(ttl));
      ObjectNode response = Json.object();
      response.put("kind", "TokenRequest");
      response.put("apiVersion", "authentication.k8s.io/v1");
      response.putObject("metadata").put("name", serviceAccount).put("namespace", namespace);
      ObjectNode spec = response.putObject("spec");
      spec.putPOJO("audiences", audiences);
      spec.put("expirationSeconds", ttl);
      ObjectNode status = response.putObject("status");
      status.put("token", jwt);
      status.put("expirationTimestamp", clock.instant().plusSeconds(ttl).toString());
      return new MockResponse()
          .setResponseCode(201)
          .setHeader("Content-Type", "application/json")
          .setBody(response.toString());
    } catch (Exception e) {
      return new MockResponse()
          .setResponseCode(400)
          .setHeader("Content-Type", "application/json")
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"invalid TokenRequest\","
                  + "\"reason\":\"BadRequest\",\"code\":400}");
    }
  }
}
