package io.tokenrotation.operator.connect;

import io.tokenrotation.operator.connect.allow.AudiencePolicy;
import io.tokenrotation.operator.connect.allow.EndpointAllowList;
import java.time.Duration;

/**
 * What the cluster admin allows a resource's connections (docs/security.md): the Vault addresses
 * and Dynatrace URLs the operator may carry credentials to, the audiences a service-account token
 * may be minted for, and how long such a token lives. Built by the wiring from the operator's
 * environment.
 */
public record ConnectionPolicy(
    EndpointAllowList vaultAddresses,
    EndpointAllowList dynatraceUrls,
    AudiencePolicy vaultAudiences,
    Duration serviceAccountTokenTtl) {}
