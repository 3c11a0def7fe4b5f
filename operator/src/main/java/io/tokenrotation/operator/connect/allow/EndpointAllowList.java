package io.tokenrotation.operator.connect.allow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The endpoints the cluster admin allows the operator to carry credentials to (docs/security.md). A
 * resource names its Vault address and Dynatrace environment URL; the operator calls them only when
 * this list allows them, so a resource author cannot send a service-account JWT, a Secret's value
 * or a management token to a server of their choosing. Secure by default: an empty list allows
 * nothing. {@code *} alone allows any endpoint (the escape hatch; the operator logs a warning at
 * start-up).
 */
public final class EndpointAllowList {
  private static final int SHOWN = 5;
  private final String variable;
  private final List<AllowedEndpoint> entries;
  private final boolean any;

  private EndpointAllowList(String variable, List<AllowedEndpoint> entries, boolean any) {
    this.variable = variable;
    this.entries = List.copyOf(entries);
    this.any = any;
  }

  /**
   * Comma- or whitespace-separated entries, as the environment variable {@code variable} holds
   * them.
   */
  public static EndpointAllowList parse(String variable, String text) {
    List<String> items =
        Arrays.stream((text == null ? "" : text).split("[,\\s]+"))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    if (items.contains("*")) {
      if (items.size() > 1) {
        throw new IllegalArgumentException(
            variable + ": \"*\" allows every endpoint; list nothing else beside it");
      }
      return new EndpointAllowList(variable, List.of(), true);
    }
    try {
      return new EndpointAllowList(
          variable, items.stream().map(AllowedEndpoint::parse).toList(), false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + e.getMessage());
    }
  }

  /**
   * This list plus {@code entry} (how the sandbox and the tests allow exactly their simulators).
   */
  public EndpointAllowList plus(String entry) {
    if (any) {
      return this;
    }
    List<AllowedEndpoint> more = new ArrayList<>(entries);
    more.add(AllowedEndpoint.parse(entry));
    return new EndpointAllowList(variable, more, false);
  }

  /** The environment variable this list comes from. */
  public String variable() {
    return variable;
  }

  public boolean allowsAny() {
    return any;
  }

  public boolean isEmpty() {
    return !any && entries.isEmpty();
  }

  /**
   * Empty when the operator may call {@code url}; otherwise why not, in words a resource author can
   * act on.
   */
  public Optional<String> refusal(String url) {
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(url);
    } catch (Endpoint.Unusable e) {
      return Optional.of("\"" + url + "\": " + e.getMessage());
    }
    if (any || entries.stream().anyMatch(entry -> entry.allows(endpoint))) {
      return Optional.empty();
    }
    return Optional.of(
        endpoint.origin()
            + endpoint.path()
            + " is not an endpoint the cluster admin allows ("
            + variable
            + ": "
            + describe()
            + ")");
  }

  /**
   * The entries as the admin wrote them (normalised), at most five: for messages and the start-up
   * log.
   */
  public String describe() {
    if (any) {
      return "* (any endpoint)";
    }
    if (entries.isEmpty()) {
      return "none";
    }
    String shown =
        entries.stream()
            .limit(SHOWN)
            .map(AllowedEndpoint::toString)
            .collect(Collectors.joining(", "));
    return entries.size() > SHOWN ? shown + ", and " + (entries.size() - SHOWN) + " more" : shown;
  }
}
