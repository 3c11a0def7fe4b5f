/**
 * An in-memory simulator of the Dynatrace access-token APIs (v2 {@code /api/v2/apiTokens} and the
 * deprecated v1 {@code /api/v1/tokens}) over one token store; start it with {@link
 * io.tokenrotation.sim.dynatrace.DynatraceSimulator}.
 *
 * <p>Where the contract (shared/reference/dynatrace-token-api.md) is UNCERTAIN, the simulator takes
 * the choice that is stricter for a client, so a client that passes here also copes with the real
 * service:
 *
 * <ul>
 *   <li>PUT on an unknown id: 404 with the envelope (not documented).
 *   <li>Empty {@code scopes} on v2 create/update: 400 (v2 documents no minItems; v1 requires at
 *       least one).
 *   <li>Create without expiry: {@code expirationDate} left out of the 201 body; optional metadata
 *       fields are left out rather than null, except {@code nextPageKey} (explicit null on the last
 *       page, as the OpenAPI text says) and a violation's {@code location} (null, as in the docs'
 *       example).
 *   <li>Past {@code expirationDate}: 400 "Constraints violated." with path {@code expirationDate},
 *       message "must be in the future" (text not documented).
 *   <li>Disabled, revoked or expired caller: 401 "Token Authentication failed", the same text as an
 *       unknown token; no Authorization at all: 401 "Missing authorization parameter.".
 *   <li>Lookup of a disabled or expired token: 200 with its real state ({@code enabled:false}, past
 *       expiry), so a client must check those fields rather than treat "found" as "usable".
 *   <li>Creating a token with scopes the caller lacks: allowed, as documented (only apiTokens.write
 *       is checked).
 *   <li>v2 duplicate scopes are collapsed; v1 duplicates are a 400 (uniqueItems).
 *   <li>Throttling ({@link io.tokenrotation.sim.dynatrace.Throttling}): by capacity, as since API
 *       1.210 — a number of requests processed at once per environment (one simulator is one
 *       environment, Managed {@code /e/<id>} paths included), a bounded FIFO queue, and a bare 429
 *       (the error envelope, no {@code X-RateLimit-*}, no {@code Retry-After}) when the queue is
 *       full or a request waited longer than the queue time-out (documented: 10 s; read from the
 *       simulator's clock). Injected latency is spent inside a processing place, so it is what
 *       fills the queue. No per-endpoint number is published: the Java API starts unthrottled, the
 *       command line, the sandbox and the benchmark use {@code Throttling.realistic()} (8 at once,
 *       16 queued). The pre-1.210 per-minute quota with {@code X-RateLimit-Reset} (microseconds)
 *       and {@code Retry-After} (seconds) is available only as {@code Throttling.legacyPerMinute}.
 *   <li>Retired scopes ({@link io.tokenrotation.sim.dynatrace.ScopeCatalogue}): removed from the
 *       token API, still shown on tokens that carry them (lookup, get, list), refused on create and
 *       update with 400 "Constraints violated." and one violation whose {@code path} is the scope's
 *       index ({@code scopes[1]}) and whose message names it in quotes. The real message text is
 *       not documented. Retired by default: the metadata-only scopes (1.196, 1.247) and {@code
 *       analyzers.read}/{@code analyzers.write} (1.330).
 * </ul>
 */
package io.tokenrotation.sim.dynatrace;
