package io.tokenrotation.operator.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tokenrotation.operator.status.Reasons;
import java.util.List;
import java.util.function.Consumer;

/**
 * The bad-input catalogue: malformed TokenRotation specs, each with what must happen to it —
 * rejected by the CRD schema (an API server refuses it) or accepted by the schema and stalled by
 * the operator — and the reason it stalls with when a schema is bypassed. Each mutation edits the
 * {@code spec} of a valid document whose Vault auth is a {@code tokenSecretRef} and whose
 * management token comes from Vault ({@code Fixtures.rotation}'s shape). Used by {@link
 * BadInputCatalogueIT} (embedded API server, schema checked offline) and the e2e suite (a real API
 * server).
 */
public final class BadInputCatalogue {
  private BadInputCatalogue() {}

  /**
   * One malformed spec: its name (a sentence), what must happen, and how it differs from a valid
   * spec.
   */
  public record Case(String name, Expect expect, Consumer<ObjectNode> mutation) {
    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * What must happen to a case: whether the structural schema rejects it (checked offline too, by
   * CrdSchemaTest's validator), whether a CEL rule of the CRD does (only an API server evaluates
   * those), and the reason the operator stalls it with when both are bypassed.
   */
  public record Expect(boolean schemaRejects, boolean celRejects, String stalledReason) {
    /** What a real API server does: refuses the object when the schema or a CEL rule does. */
    public boolean serverRejects() {
      return schemaRejects || celRejects;
    }
  }

  public static Expect schema(String reason) {
    return new Expect(true, false, reason);
  }

  /**
   * Rejected by an x-kubernetes-validations (CEL) rule: the offline validator accepts it, an API
   * server does not.
   */
  public static Expect cel(String reason) {
    return new Expect(false, true, reason);
  }

  public static Expect operator(String reason) {
    return new Expect(false, false, reason);
  }

  static Case bad(String name, Expect expect, Consumer<ObjectNode> mutation) {
    return new Case(name, expect, mutation);
  }

  public static List<Case> cases() {
    String invalid = Reasons.INVALID_SPEC;
    return List.of(
        bad("neither interval nor schedule", cel(invalid), s -> s.remove("interval")),
        bad(
            "a schedule without cron",
            schema(invalid),
            s -> s.putObject("schedule").put("window", "2h")),
        bad(
            "a cron of three fields",
            schema(invalid),
            s -> s.putObject("schedule").put("cron", "0 2 *")),
        bad(
            "a cron that never fires (February 30th)",
            operator(invalid),
            s -> s.putObject("schedule").put("cron", "0 0 30 2 *")),
        bad(
            "a minute 61",
            operator(invalid),
            s -> s.putObject("schedule").put("cron", "61 2 * * *")),
        bad(
            "an unknown time zone",
            operator(invalid),
            s -> s.putObject("schedule").put("cron", "@daily").put("timeZone", "Mars/Olympus")),
        bad(
            "a window as long as the time between runs",
            operator(invalid),
            s -> s.putObject("schedule").put("cron", "@hourly").put("window", "1h")),
        bad(
            "a secret target without key",
            schema(invalid),
            s -> s.putArray("secretTargets").addObject().put("name", "app")),
        bad(
            "a secret target template with an unknown placeholder",
            operator(invalid),
            s ->
                s.putArray("secretTargets")
                    .addObject()
                    .put("name", "app")
                    .put("key", "apiToken")
                    .putObject("template")
                    .put("auth", "{{ .secret }}")),
        bad(
            "a restart target of kind Job",
            schema(invalid),
            s ->
                s.putArray("rolloutRestartTargets")
                    .addObject()
                    .put("kind", "Job")
                    .put("name", "a")),
        bad(
            "restart targets without secret targets",
            operator(invalid),
            s ->
                s.putArray("rolloutRestartTargets")
                    .addObject()
                    .put("kind", "Deployment")
                    .put("name", "app")),
        bad("interval 30s below the 1m minimum", schema(invalid), s -> s.put("interval", "30s")),
        bad("interval 0m", schema(invalid), s -> s.put("interval", "0m")),
        // below a minute as a sum or a fraction: the schema's pattern cannot tell
        // (ApiPatterns.AT_LEAST_A_MINUTE)
        bad("interval 0.01h (36s)", operator(invalid), s -> s.put("interval", "0.01h")),
        bad("interval 30s20s", operator(invalid), s -> s.put("interval", "30s20s")),
        bad("interval '1 hour'", schema(invalid), s -> s.put("interval", "1 hour")),
        bad("interval unit y", schema(invalid), s -> s.put("interval", "1y")),
        bad("vault missing", schema(invalid), s -> s.remove("vault")),
        bad("vault address missing", schema(invalid), s -> vault(s).remove("address")),
        bad(
            "vault address ftp://",
            schema(invalid),
            s -> vault(s).put("address", "ftp://vault.example")),
        bad(
            "vault address without scheme",
            schema(invalid),
            s -> vault(s).put("address", "vault.example:8200")),
        bad(
            "vault address with a query",
            operator(invalid),
            s -> vault(s).put("address", "https://v.example/?a=1")),
        bad("path missing", schema(invalid), s -> vault(s).remove("path")),
        bad("path with a leading /", schema(invalid), s -> vault(s).put("path", "/dynatrace/x")),
        bad("path with ..", schema(invalid), s -> vault(s).put("path", "dynatrace/../master")),
        bad("path oversized", schema(invalid), s -> vault(s).put("path", "a/".repeat(300) + "b")),
        bad("field empty", schema(invalid), s -> vault(s).put("field", "")),
        bad("field with spaces", schema(invalid), s -> vault(s).put("field", "my token")),
        bad("kvVersion 3", schema(invalid), s -> vault(s).put("kvVersion", "3")),
        bad(
            "namespace oversized",
            schema(invalid),
            s -> vault(s).put("namespace", "n".repeat(300))),
        bad(
            "both auth methods",
            cel(invalid),
            s -> auth(s).putObject("kubernetes").put("role", "r")),
        bad("no auth method", cel(invalid), s -> auth(s).remove("tokenSecretRef")),
        bad("auth missing", schema(invalid), s -> vault(s).remove("auth")),
        bad(
            "kubernetes auth without role",
            schema(invalid),
            s -> {
              auth(s).remove("tokenSecretRef");
              auth(s).putObject("kubernetes").put("role", "");
            }),
        bad(
            "secret ref name with capitals",
            schema(invalid),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("name", "Vault_Token")),
        bad(
            "secret ref key empty",
            schema(invalid),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("key", "")),
        bad(
            "environmentUrl not a URL",
            schema(invalid),
            s -> dynatrace(s).put("environmentUrl", "not a url")),
        bad("environmentUrl missing", schema(invalid), s -> dynatrace(s).remove("environmentUrl")),
        bad(
            "both management token sources",
            cel(invalid),
            s -> management(s).putObject("secretRef").put("name", "dt").put("key", "token")),
        bad("no management token source", cel(invalid), s -> management(s).remove("vault")),
        bad(
            "management token path with ..",
            schema(invalid),
            s -> ((ObjectNode) management(s).get("vault")).put("path", "../master")),
        bad(
            "management token field empty",
            schema(invalid),
            s -> ((ObjectNode) management(s).get("vault")).put("field", "")),
        // values the API classes cannot read: reported by LenientReader, so the operator stalls
        // them too
        bad("deletionPolicy Destroy", schema(invalid), s -> s.put("deletionPolicy", "Destroy")),
        bad(
            "oldToken.action Revoke",
            schema(invalid),
            s -> s.putObject("oldToken").put("action", "Revoke")),
        bad("vault a string", schema(invalid), s -> s.put("vault", "x")),
        bad("suspend 'yes'", schema(invalid), s -> s.put("suspend", "yes")),
        bad(
            "gracePeriod '5 minutes'",
            schema(invalid),
            s -> s.putObject("oldToken").put("gracePeriod", "5 minutes")),
        bad(
            "scope with a space",
            operator(invalid),
            s -> s.putObject("newToken").putArray("scopes").add("bad scope")),
        bad(
            "duplicate scopes",
            operator(invalid),
            s -> s.putObject("newToken").putArray("scopes").add("ReadConfig").add("ReadConfig")),
        bad(
            "expiresAfter shorter than the interval",
            operator(invalid),
            s -> {
              s.put("interval", "24h");
              s.putObject("newToken").put("expiresAfter", "30m");
            }),
        bad(
            "newToken name oversized",
            schema(invalid),
            s -> s.putObject("newToken").put("name", "n".repeat(300))),
        bad(
            "unknown Vault token Secret",
            operator(Reasons.SECRET_REF_NOT_FOUND),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("name", "no-such-secret")),
        bad(
            "wrong key in the Vault token Secret",
            operator(Reasons.SECRET_REF_KEY_MISSING),
            s -> ((ObjectNode) auth(s).get("tokenSecretRef")).put("key", "no-such-key")),
        bad(
            "unknown management token Secret",
            operator(Reasons.SECRET_REF_NOT_FOUND),
            s -> {
              management(s).remove("vault");
              management(s)
                  .putObject("secretRef")
                  .put("name", "no-such-secret")
                  .put("key", "token");
            }),
        bad(
            "unknown CA Secret",
            operator(Reasons.SECRET_REF_NOT_FOUND),
            s -> vault(s).putObject("caSecretRef").put("name", "no-such-ca").put("key", "ca.crt")));
  }

  private static ObjectNode vault(ObjectNode spec) {
    return (ObjectNode) spec.get("vault");
  }

  private static ObjectNode auth(ObjectNode spec) {
    return (ObjectNode) spec.get("vault").get("auth");
  }

  private static ObjectNode dynatrace(ObjectNode spec) {
    return (ObjectNode) spec.get("dynatrace");
  }

  private static ObjectNode management(ObjectNode spec) {
    return (ObjectNode) spec.get("dynatrace").get("managementToken");
  }
}
