package io.tokenrotation.sim.dynatrace;

import io.tokenrotation.sim.http.SimHandler;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes one API request to the v1 or v2 operation (throttling comes before, in {@link
 * EnvironmentThrottle}). Every failure becomes the error envelope; nothing here can leak an
 * exception text. Managed/ActiveGate paths ({@code /e/<envId>/api/...}) are served like SaaS paths.
 */
final class DynatraceService implements SimHandler {
  private static final Pattern MANAGED_PREFIX = Pattern.compile("^/e/[^/]+(/api/.*)$");
  private static final String V2 = "/api/v2/apiTokens";
  private static final String V1 = "/api/v1/tokens";

  private final V2Routes v2;
  private final V1Routes v1;

  DynatraceService(ApiTokenStore store, Supplier<ScopeCatalogue> catalogue) {
    this.v2 = new V2Routes(store, catalogue);
    this.v1 = new V1Routes(store, catalogue);
  }

  @Override
  public SimResponse handle(SimRequest request) {
    try {
      return route(request);
    } catch (ApiError e) {
      return DynatraceErrorBodies.of(e);
    } catch (RuntimeException e) {
      return DynatraceErrorBodies.forStatus(500);
    }
  }

  private SimResponse route(SimRequest request) {
    String path = stripTrailingSlash(request.path());
    Matcher managed = MANAGED_PREFIX.matcher(path);
    if (managed.matches()) {
      path = managed.group(1);
    }
    String method = request.method();
    if (path.equals(V2)) {
      return switch (method) {
        case "GET" -> v2.list(request);
        case "POST" -> v2.create(request);
        default -> methodNotAllowed("GET, POST");
      };
    }
    if (path.equals(V2 + "/lookup")) {
      return "POST".equals(method) ? v2.lookup(request) : methodNotAllowed("POST");
    }
    String v2Id = childOf(path, V2);
    if (v2Id != null) {
      return switch (method) {
        case "GET" -> v2.get(request, v2Id);
        case "PUT" -> v2.update(request, v2Id);
        case "DELETE" -> v2.delete(request, v2Id);
        default -> methodNotAllowed("GET, PUT, DELETE");
      };
    }
    if (path.equals(V1)) {
      return switch (method) {
        case "GET" -> v1.list(request);
        case "POST" -> v1.create(request);
        default -> methodNotAllowed("GET, POST");
      };
    }
    if (path.equals(V1 + "/lookup")) {
      return "POST".equals(method) ? v1.lookup(request) : methodNotAllowed("POST");
    }
    String v1Id = childOf(path, V1);
    if (v1Id != null) {
      return switch (method) {
        case "GET" -> v1.get(request, v1Id);
        case "PUT" -> v1.update(request, v1Id);
        case "DELETE" -> v1.delete(request, v1Id);
        default -> methodNotAllowed("GET, PUT, DELETE");
      };
    }
    throw new ApiError(404, "Not found");
  }

  private static String stripTrailingSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  /** The single path segment below {@code base}, or null. */
  private static String childOf(String path, String base) {
    if (!path.startsWith(base + "/")) {
      return null;
    }
    String rest = path.substring(base.length() + 1);
    return rest.isEmpty() || rest.contains("/") ? null : rest;
  }

  private static SimResponse methodNotAllowed(String allowed) {
    return DynatraceErrorBodies.envelope(405, "Method not allowed", List.of())
        .withHeader("Allow", allowed);
  }
}
