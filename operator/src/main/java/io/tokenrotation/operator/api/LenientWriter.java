package io.tokenrotation.operator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.util.Map;

/**
 * Writes a spec or status the way Jackson would, except that what {@link LenientReader} could not
 * read is written back as it was read: the original JSON of each such value goes where the object
 * has nothing (a value set since wins), and a status that could not be read at all is written back
 * whole. So a copy made by serializing (JOSDK gives the reconciler one) is read with the same
 * problems, and a write never replaces a value the operator did not understand with a default. The
 * CRD generator sees the plain bean schema (format visitors go to the bean serializer).
 */
public final class LenientWriter extends StdSerializer<LenientlyRead>
    implements ContextualSerializer {
  /** Only turns buffered tokens into a tree: needs none of the Kubernetes client's modules. */
  private static final ObjectMapper TREES = new ObjectMapper();

  private final transient JsonSerializer<Object> bean;

  public LenientWriter() {
    this(null);
  }

  private LenientWriter(JsonSerializer<Object> bean) {
    super(LenientlyRead.class);
    this.bean = bean;
  }

  @Override
  public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
      throws JsonMappingException {
    return new LenientWriter(provider.findValueSerializer(property.getType(), property));
  }

  @Override
  public void serialize(LenientlyRead value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    Map<String, JsonNode> unread = value.unreadValues();
    if (unread.isEmpty()) {
      bean.serialize(value, gen, provider);
      return;
    }
    if (unread.containsKey("")) {
      provider.defaultSerializeValue(unread.get(""), gen);
      return;
    }
    TokenBuffer buffer = new TokenBuffer(gen.getCodec(), false);
    bean.serialize(value, buffer, provider);
    JsonNode tree;
    try (JsonParser tokens = buffer.asParser()) {
      tree = TREES.readTree(tokens);
    }
    unread.forEach((pointer, original) -> putIfAbsent((ObjectNode) tree, pointer, original));
    provider.defaultSerializeValue(tree, gen);
  }

  /** Sets {@code pointer} (fields only) to {@code original} unless the tree has a value there. */
  private static void putIfAbsent(ObjectNode tree, String pointer, JsonNode original) {
    ObjectNode parent = tree;
    String[] fields = pointer.substring(1).split("/", -1);
    for (int i = 0; i < fields.length; i++) {
      String field = fields[i].replace("~1", "/").replace("~0", "~");
      JsonNode child = parent.get(field);
      if (i == fields.length - 1) {
        if (child == null || child.isNull()) {
          parent.set(field, original);
        }
      } else if (child == null || child.isNull()) {
        parent = parent.putObject(field);
      } else if (child.isObject()) {
        parent = (ObjectNode) child;
      } else {
        return; // the object now holds something else there: it wins
      }
    }
  }

  @Override
  public boolean isEmpty(SerializerProvider provider, LenientlyRead value) {
    return value == null;
  }

  @Override
  public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type)
      throws JsonMappingException {
    bean.acceptJsonFormatVisitor(visitor, type);
  }
}
