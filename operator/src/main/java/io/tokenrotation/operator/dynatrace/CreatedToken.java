package io.tokenrotation.operator.dynatrace;

import io.tokenrotation.operator.secret.SecretValue;
import java.time.Instant;

/**
 * The answer to a create: the public id, the secret (shown by Dynatrace only this once) and the
 * expiry or null.
 */
public record CreatedToken(String id, SecretValue token, Instant expirationDate) {}
