package io.tokenrotation.operator.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the spec or status of a resource without ever throwing for what is in it. The informer
 * deserializes every object it lists or watches; one exception there stops the informer, and JOSDK
 * then stops the whole operator ("Fatal error in informer"): one resource written before a schema
 * change, or for a newer CRD, stopped every rotation. What cannot be read is recorded on the object
 * ({@link LenientlyRead}) for the operator to report.
 *
 * <ul>
 *   <li>{@link Spec}: each value that cannot be read (an unknown enum value, a string where an
 *       object belongs, an unknown field) is set aside and the rest read; the validator reports
 *       every such value and the resource stalls with InvalidSpec, with no call to Vault or
 *       Dynatrace.
 *   <li>{@link Status}: all or nothing. A status the operator cannot fully read may hold a pending
 *       rotation or tokens still to retire; acting on part of it could lose them. Such a status is
 *       kept whole and the resource is not acted on at all.
 * </ul>
 */
public abstract class LenientReader extends StdDeserializer<LenientlyRead>
    implements ContextualDeserializer {
  /**
   * More values than this unreadable in one object: give up on the rest and set the whole object
   * aside.
   */
  private static final int MAX_UNREAD = 20;

  private final JavaType type;
  private final String root;
  private final boolean partial;

  LenientReader(JavaType type, String root, boolean partial) {
    super(LenientlyRead.class);
    this.type = type;
    this.root = root;
    this.partial = partial;
  }

  /** For {@code TokenRotation.spec} and {@code TokenCleanupPolicy.spec}. */
  public static final class Spec extends LenientReader {
    public Spec() {
      this(null);
    }

    Spec(JavaType type) {
      super(type, "spec", true);
    }

    @Override
    public JsonDeserializer<?> createContextual(
        DeserializationContext ctxt, BeanProperty property) {
      return new Spec(property.getType());
    }
  }

  /** For {@code TokenRotation.status} and {@code TokenCleanupPolicy.status}. */
  public static final class Status extends LenientReader {
    public Status() {
      this(null);
    }

    Status(JavaType type) {
      super(type, "status", false);
    }

    @Override
    public JsonDeserializer<?> createContextual(
        DeserializationContext ctxt, BeanProperty property) {
      return new Status(property.getType());
    }
  }

  @Override
  public LenientlyRead deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode original = ctxt.readTree(p);
    // copied on the first value set aside only: almost every object reads at the first attempt
    JsonNode remaining = original;
    List<UnreadValue> setAside = new ArrayList<>();
    List<JsonNode> originals = new ArrayList<>();
    while (true) {
      try {
        LenientlyRead value = ctxt.readTreeAsValue(remaining, type);
        for (int i = 0; i < setAside.size(); i++) {
          UnreadValue unread = setAside.get(i);
          value.unread(unread.pointer(), unread.path(), originals.get(i), unread.problem());
        }
        return value;
      } catch (JsonMappingException e) {
        Optional<UnreadValue> unread = UnreadValue.of(root, e, remaining);
        if (!partial || unread.isEmpty() || setAside.size() == MAX_UNREAD) {
          return whole(
              original,
              unread.map(UnreadValue::problem).orElse(UnreadValue.whole(root, original)),
              ctxt);
        }
        if (remaining == original) {
          remaining = original.deepCopy();
        }
        originals.add(remove(remaining, unread.get().pointer()));
        setAside.add(unread.get());
      } catch (JsonProcessingException | RuntimeException e) {
        return whole(original, UnreadValue.whole(root, original), ctxt);
      }
    }
  }

  /** An empty object standing for {@code original}, which is kept to be written back unchanged. */
  private LenientlyRead whole(JsonNode original, String problem, DeserializationContext ctxt)
      throws IOException {
    ObjectNode empty = JsonNodeFactory.instance.objectNode();
    LenientlyRead value = ctxt.readTreeAsValue(empty, type);
    value.unread("", root, original, problem);
    return value;
  }

  /**
   * Removes the value at {@code pointer} (it exists, and lists are never entered: see UnreadValue)
   * and returns it.
   */
  private static JsonNode remove(JsonNode tree, String pointer) {
    int slash = pointer.lastIndexOf('/');
    ObjectNode parent = (ObjectNode) tree.at(pointer.substring(0, slash));
    return parent.remove(pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~"));
  }
}
