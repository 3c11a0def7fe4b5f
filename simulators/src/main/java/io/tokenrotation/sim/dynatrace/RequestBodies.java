package io.tokenrotation.sim.dynatrace;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenrotation.sim.http.SimRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reading and validating the JSON bodies both API versions accept; every failure is an {@link
 * ApiError} 400.
 */
final class RequestBodies {
  private RequestBodies() {}

  static JsonNode object(SimRequest request) {
    if (!request.hasBody()) {
      throw new ApiError(400, "Request body must not be empty");
    }
    JsonNode body;
    try {
      body = request.bodyJson();
    } catch (IOException e) {
      // The parser's message may quote the body, which can hold a token: keep it out of the answer.
      throw new ApiError(400, "Could not parse the request body as JSON");
    }
    if (body == null || !body.isObject()) {
      throw new ApiError(400, "The request body must be a JSON object");
    }
    return body;
  }

  /**
   * A required, non-blank name (blank is refused too: UNCERTAIN in the contract, the stricter
   * choice).
   */
  static String requiredName(JsonNode body, List<ConstraintViolation> violations) {
    JsonNode name = body.get("name");
    if (name == null || name.isNull()) {
      violations.add(ConstraintViolation.body("name", "must not be null"));
      return null;
    }
    return checkedName(name, violations);
  }

  /** An optional name for updates: absent = unchanged, present must be a non-blank string. */
  static String optionalName(JsonNode body, List<ConstraintViolation> violations) {
    JsonNode name = body.get("name");
    return name == null || name.isNull() ? null : checkedName(name, violations);
  }

  private static String checkedName(JsonNode name, List<ConstraintViolation> violations) {
    if (!name.isTextual() || name.asText().isBlank()) {
      violations.add(ConstraintViolation.body("name", "must not be blank"));
      return null;
    }
    return name.asText();
  }

  /**
   * The scopes of a create or update. {@code unique} is v1's rule (duplicates are an error); v2
   * drops duplicates. An empty list is refused in both versions: v2 does not document minItems
   * (UNCERTAIN), but a token without scopes can do nothing, so a client sending one has a bug worth
   * surfacing.
   */
  static List<String> scopes(
      JsonNode scopes,
      boolean required,
      boolean unique,
      ScopeCatalogue catalogue,
      List<ConstraintViolation> violations) {
    if (scopes == null || scopes.isNull()) {
      if (required) {
        violations.add(ConstraintViolation.body("scopes", "must not be null"));
      }
      return null;
    }
    if (!scopes.isArray()) {
      violations.add(ConstraintViolation.body("scopes", "must be an array of scope names"));
      return null;
    }
    if (scopes.isEmpty()) {
      violations.add(ConstraintViolation.body("scopes", "size must be between 1 and 2147483647"));
      return null;
    }
    Set<String> result = new LinkedHashSet<>();
    List<String> given = new ArrayList<>();
    for (int i = 0; i < scopes.size(); i++) {
      JsonNode scope = scopes.get(i);
      String path = "scopes[" + i + "]";
      if (!scope.isTextual()) {
        violations.add(ConstraintViolation.body(path, "must be a string"));
      } else if (catalogue.retired(scope.asText())) {
        // The real text is not documented (UNCERTAIN); the violation's path points at the scope and
        // its message
        // names it, as the contract's envelope example does for other fields.
        violations.add(
            ConstraintViolation.body(
                path,
                "scope '"
                    + scope.asText()
                    + "' has been removed from the API and can no longer be assigned"));
      } else if (!catalogue.assignable(scope.asText())) {
        violations.add(
            ConstraintViolation.body(
                path, "unknown or not assignable scope '" + scope.asText() + "'"));
      } else {
        given.add(scope.asText());
        result.add(scope.asText());
      }
    }
    if (unique && result.size() != given.size()) {
      violations.add(ConstraintViolation.body("scopes", "must only contain unique elements"));
    }
    return List.copyOf(result);
  }

  static Boolean optionalBoolean(
      JsonNode body, String field, List<ConstraintViolation> violations) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isBoolean()) {
      violations.add(ConstraintViolation.body(field, "must be true or false"));
      return null;
    }
    return value.asBoolean();
  }

  static void throwIfAny(List<ConstraintViolation> violations) {
    if (!violations.isEmpty()) {
      throw ApiError.violations(violations);
    }
  }
}
