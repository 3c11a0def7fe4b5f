package io.tokenrotation.sim.vault;

import io.tokenrotation.sim.http.SimHandler;
import io.tokenrotation.sim.http.SimRequest;
import io.tokenrotation.sim.http.SimResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Entry point of every {@code /v1/} request, in the order real Vault applies its checks: sys/health
 * (works sealed) -> sealed 503 -> PATCH Content-Type 415 -> namespace -> unauthenticated logins ->
 * token (403) -> built-in endpoints -> the mount's engine (ACL checked there, since
 * create-vs-update depends on existence).
 */
final class VaultRouter implements SimHandler {
  static final String MERGE_PATCH = "application/merge-patch+json";

  private final VaultState state;
  private final SystemBackend system;

  VaultRouter(VaultState state) {
    this.state = state;
    this.system = new SystemBackend(state);
  }

  @Override
  public SimResponse handle(SimRequest request) {
    try {
      return route(request);
    } catch (VaultApiException e) {
      return e.response();
    }
  }

  private SimResponse route(SimRequest request) {
    String fullPath = request.path();
    if (!fullPath.startsWith("/v1/")) {
      return VaultErrors.bareNotFound();
    }
    String path = fullPath.substring("/v1/".length());
    if (path.equals("sys/health")) {
      return system.health(request);
    }
    if (state.sealed()) {
      return VaultErrors.sealed();
    }
    if ("PATCH".equals(request.method())) {
      String contentType = request.header("Content-Type");
      if (contentType == null || !MERGE_PATCH.equals(mediaType(contentType))) {
        return VaultErrors.error(
            415,
            "PATCH requires Content-Type of "
                + MERGE_PATCH
                + ", provided "
                + (contentType == null ? "" : contentType));
      }
    }
    Operation op = Operation.fromHttp(request.method(), request.query("list"));
    if (op == null) {
      return VaultErrors.error(405, "unsupported operation"); // unknown HTTP verb
    }
    NamespacedPath target = resolveNamespace(request.header("X-Vault-Namespace"), path);
    VaultNamespace ns = target.namespace();
    String rel = target.path();
    if (op == Operation.LIST && !rel.endsWith("/")) {
      rel = rel + "/"; // Vault appends the slash to list paths; policies are matched against that
    }
    Instant now = state.clock.instant();

    if (op == Operation.WRITE && rel.startsWith("auth/") && rel.endsWith("/login")) {
      String authMount = rel.substring("auth/".length(), rel.length() - "/login".length());
      Optional<SimResponse> login = login(request, ns, authMount, now);
      if (login.isPresent()) {
        return login.get();
      }
    }

    TokenEntry token =
        state
            .tokens
            .lookup(clientToken(request), ns.name())
            .orElseThrow(VaultApiException::permissionDenied);
    request.principal(token.accessor()); // the journal shows who called, never the token itself
    Acl acl = ns.aclFor(token);
    VaultCall call = new VaultCall(request, op, rel, acl, now);

    if (rel.equals("auth/token/lookup-self") && op == Operation.READ) {
      call.require("read");
      return VaultEnvelope.of("token").data(token.lookupData(now)).ok();
    }
    if (rel.equals("auth/token/renew-self") && op == Operation.WRITE) {
      call.require("update");
      return renewSelf(call, token, now);
    }
    for (String prefix : new String[] {"sys/internal/ui/mounts/", "sys/mounts-all/"}) {
      if (rel.startsWith(prefix) && rel.length() > prefix.length() && op == Operation.READ) {
        return system.mountPreflight(ns, acl, rel.substring(prefix.length()));
      }
    }
    if (rel.equals("sys/mounts") && op == Operation.READ) {
      return system.listMounts(call, ns);
    }
    if (rel.startsWith("sys/mounts/") && op == Operation.WRITE) {
      return system.enableMount(call, ns, rel.substring("sys/mounts/".length()));
    }
    Optional<Mount> mount = ns.mounts().find(rel);
    if (mount.isPresent()) {
      String rest =
          (rel + (rel.endsWith("/") ? "" : "/")).length() <= mount.get().path().length()
              ? ""
              : rel.substring(mount.get().path().length());
      return mount.get().engine().handle(call, rest);
    }
    // (?) in the reference: a non-root token is refused before routing, so unknown paths reveal
    // nothing to it.
    if (!acl.isRoot()) {
      throw VaultApiException.permissionDenied();
    }
    return VaultErrors.error(404, "no handler for route \"" + rel + "\". route entry not found.");
  }

  private Optional<SimResponse> login(
      SimRequest request, VaultNamespace ns, String authMount, Instant now) {
    VaultCall unauthenticated = new VaultCall(request, Operation.WRITE, "", null, now);
    Optional<KubernetesAuthMethod> kubernetes = ns.findKubernetes(authMount);
    if (kubernetes.isPresent()) {
      return Optional.of(
          kubernetes
              .get()
              .login(
                  unauthenticated.body(),
                  state.jwtVerifier::get,
                  state.tokens,
                  now,
                  request::principal));
    }
    if (AppRoleAuthMethod.MOUNT.equals(authMount) && !ns.appRole().isEmpty()) {
      return Optional.of(
          ns.appRole().login(unauthenticated.body(), state.tokens, now, request::principal));
    }
    return Optional.empty();
  }

  private SimResponse renewSelf(VaultCall call, TokenEntry token, Instant now) {
    if (!token.renewable()) {
      throw VaultApiException.badRequest(
          "lease is not renewable"); // text marked (?) in the reference
    }
    Duration increment;
    try {
      increment = GoFormats.parseDuration(call.body().get("increment"));
    } catch (IllegalArgumentException e) {
      throw VaultApiException.badRequest("error parsing increment");
    }
    token.renew(now, increment);
    return VaultEnvelope.of("token").auth(token.authBlock(now)).ok();
  }

  /** X-Vault-Token, else Authorization: Bearer. */
  static String clientToken(SimRequest request) {
    String token = request.header("X-Vault-Token");
    if (token != null && !token.isEmpty()) {
      return token;
    }
    String authorization = request.header("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return null;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private record NamespacedPath(VaultNamespace namespace, String path) {}

  /**
   * The namespace is the header's plus any leading path segments naming a deeper existing namespace
   * (so {@code X-Vault-Namespace: team-a} + {@code sub/secret/...} is namespace team-a/sub). An
   * unknown namespace is answered 403 "permission denied" (safer than confirming which namespaces
   * exist; real Vault's answer is (?)).
   */
  private NamespacedPath resolveNamespace(String header, String path) {
    String base = VaultNamespace.normalize(header);
    String[] segments = path.split("/", -1);
    for (int take = segments.length - 1; take >= 1; take--) {
      String candidate = join(base, String.join("/", Arrays.copyOfRange(segments, 0, take)));
      Optional<VaultNamespace> ns = state.existing(candidate);
      if (ns.isPresent() && !candidate.isEmpty() && !candidate.equals(base)) {
        return new NamespacedPath(
            ns.get(), String.join("/", Arrays.copyOfRange(segments, take, segments.length)));
      }
    }
    VaultNamespace ns = state.existing(base).orElseThrow(VaultApiException::permissionDenied);
    return new NamespacedPath(ns, path);
  }

  private static String join(String base, String more) {
    return base.isEmpty() ? more : more.isEmpty() ? base : base + "/" + more;
  }
}
