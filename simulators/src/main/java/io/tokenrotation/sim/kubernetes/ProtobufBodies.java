package io.tokenrotation.sim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tokenrotation.sim.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies in Kubernetes protobuf, turned into the JSON the mock reads.
 *
 * <p>kubectl's typed writes of built-in kinds ({@code kubectl create
 * secret|configmap|namespace|serviceaccount|token}) send {@code Content-Type:
 * application/vnd.kubernetes.protobuf}: client-go's generated clients choose protobuf for built-in
 * types on their own, whatever discovery says, and do not fall back to JSON on an error
 * (client-go's 415 fallback is for CBOR only). The Fabric8 mock reads JSON and YAML only, and a
 * binary body makes it throw without answering. So the few kinds those commands write are
 * translated here; anything else is {@link Unsupported}.
 *
 * <p>The body is {@code "k8s\0"} followed by a {@code runtime.Unknown}: field 1 TypeMeta
 * (apiVersion 1, kind 2), field 2 the object's own message, 3 contentEncoding, 4 contentType.
 * Objects are read by field number against the small schemas below (numbers as in k8s.io/api's
 * {@code generated.proto}). Protobuf carries plain fields even at their zero value, Go's JSON
 * ({@code omitempty}) does not: empty strings, a zero generation and empty times are left out;
 * optional (pointer) fields such as {@code immutable} are kept as sent. A field not in the schema
 * is an error, never silently dropped.
 */
final class ProtobufBodies {
  static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /** A body this class cannot translate; the message says why. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message);
    }
  }

  private ProtobufBodies() {}

  /** The media type of a Content-Type header, lower case, without parameters. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  /**
   * True if the mock reads a body of this Content-Type: JSON or YAML (patch types included), or
   * none given.
   */
  static boolean readableByMock(String contentType) {
    String media = mediaType(contentType);
    return media.isEmpty() || media.endsWith("json") || media.endsWith("yaml");
  }

  /** The JSON of a protobuf body of one of the {@link #KINDS}. */
  static byte[] toJson(String contentType, byte[] body) throws Unsupported {
    if (!mediaType(contentType).equals(MEDIA_TYPE)) {
      throw new Unsupported(
          "request bodies of type "
              + contentType
              + " are not read here (JSON, YAML and, for a "
              + "few kinds, "
              + MEDIA_TYPE
              + " are)");
    }
    if (body.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(body, MAGIC.length), MAGIC)) {
      throw new Unsupported("not a Kubernetes protobuf body (no k8s\\0 prefix)");
    }
    String apiVersion = "";
    String kind = "";
    Reader object = null;
    Reader envelope = new Reader(body, MAGIC.length, body.length);
    while (envelope.more()) {
      int key = envelope.key();
      switch (key) {
        case 1 << 3 | 2 -> {
          Reader typeMeta = envelope.message();
          while (typeMeta.more()) {
            int field = typeMeta.key();
            if (field == (1 << 3 | 2)) {
              apiVersion = typeMeta.string();
            } else if (field == (2 << 3 | 2)) {
              kind = typeMeta.string();
            } else {
              typeMeta.skip(field);
            }
          }
        }
        case 2 << 3 | 2 -> object = envelope.message();
        case 3 << 3 | 2 -> {
          String encoding = envelope.string();
          if (!encoding.isEmpty()) {
            throw new Unsupported("content encoding " + encoding + " is not read here");
          }
        }
        default -> envelope.skip(key);
      }
    }
    Schema schema = KINDS.get(apiVersion + "/" + kind);
    if (schema == null) {
      throw new Unsupported(
          kind
              + " ("
              + apiVersion
              + ") in protobuf is not read here; translated are "
              + String.join(", ", KINDS.keySet().stream().sorted().toList()));
    }
    ObjectNode json = Json.object();
    json.put("apiVersion", apiVersion).put("kind", kind);
    if (object != null) {
      json.setAll(decode(object, schema));
    }
    try {
      return Json.MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- schemas

  private enum Type {
    STRING,
    BOOL,
    INT64,
    COUNT,
    TIME,
    MESSAGE,
    STRING_MAP,
    BYTES_MAP
  }

  /**
   * COUNT: an int64 left out of the JSON when 0 (a plain Go field); INT64: kept (a pointer field).
   */
  private record Field(String name, Type type, boolean repeated, Schema message) {}

  private static final class Schema {
    final String name;
    final Map<Integer, Field> fields = new HashMap<>();

    Schema(String name) {
      this.name = name;
    }

    Schema add(int number, String field, Type type) {
      fields.put(number, new Field(field, type, false, null));
      return this;
    }

    Schema list(int number, String field, Type type) {
      fields.put(number, new Field(field, type, true, null));
      return this;
    }

    Schema add(int number, String field, Schema message) {
      fields.put(number, new Field(field, Type.MESSAGE, false, message));
      return this;
    }

    Schema list(int number, String field, Schema message) {
      fields.put(number, new Field(field, Type.MESSAGE, true, message));
      return this;
    }
  }

  private static final Schema OWNER_REFERENCE =
      new Schema("OwnerReference")
          .add(1, "kind", Type.STRING)
          .add(3, "name", Type.STRING)
          .add(4, "uid", Type.STRING)
          .add(5, "apiVersion", Type.STRING)
          .add(6, "controller", Type.BOOL)
          .add(7, "blockOwnerDeletion", Type.BOOL);

  private static final Schema OBJECT_META =
      new Schema("ObjectMeta")
          .add(1, "name", Type.STRING)
          .add(2, "generateName", Type.STRING)
          .add(3, "namespace", Type.STRING)
          .add(4, "selfLink", Type.STRING)
          .add(5, "uid", Type.STRING)
          .add(6, "resourceVersion", Type.STRING)
          .add(7, "generation", Type.COUNT)
          .add(8, "creationTimestamp", Type.TIME)
          .add(9, "deletionTimestamp", Type.TIME)
          .add(10, "deletionGracePeriodSeconds", Type.INT64)
          .add(11, "labels", Type.STRING_MAP)
          .add(12, "annotations", Type.STRING_MAP)
          .list(13, "ownerReferences", OWNER_REFERENCE)
          .list(14, "finalizers", Type.STRING);

  private static final Schema OBJECT_REFERENCE =
      new Schema("ObjectReference")
          .add(1, "kind", Type.STRING)
          .add(2, "namespace", Type.STRING)
          .add(3, "name", Type.STRING)
          .add(4, "uid", Type.STRING)
          .add(5, "apiVersion", Type.STRING)
          .add(6, "resourceVersion", Type.STRING)
          .add(7, "fieldPath", Type.STRING);

  /**
   * The kinds translated, by apiVersion/kind: what kubectl's typed create commands send for this
   * API.
   */
  private static final Map<String, Schema> KINDS =
      Map.of(
          "v1/Secret",
              new Schema("Secret")
                  .add(1, "metadata", OBJECT_META)
                  .add(2, "data", Type.BYTES_MAP)
                  .add(3, "type", Type.STRING)
                  .add(4, "stringData", Type.STRING_MAP)
                  .add(5, "immutable", Type.BOOL),
          "v1/ConfigMap",
              new Schema("ConfigMap")
                  .add(1, "metadata", OBJECT_META)
                  .add(2, "data", Type.STRING_MAP)
                  .add(3, "binaryData", Type.BYTES_MAP)
                  .add(4, "immutable", Type.BOOL),
          "v1/Namespace",
              new Schema("Namespace")
                  .add(1, "metadata", OBJECT_META)
                  .add(2, "spec", new Schema("NamespaceSpec").list(1, "finalizers", Type.STRING))
                  .add(3, "status", new Schema("NamespaceStatus").add(1, "phase", Type.STRING)),
          "v1/ServiceAccount",
              new Schema("ServiceAccount")
                  .add(1, "metadata", OBJECT_META)
                  .list(2, "secrets", OBJECT_REFERENCE)
                  .list(
                      3,
                      "imagePullSecrets",
                      new Schema("LocalObjectReference").add(1, "name", Type.STRING))
                  .add(4, "automountServiceAccountToken", Type.BOOL),
          "authentication.k8s.io/v1/TokenRequest",
              new Schema("TokenRequest")
                  .add(1, "metadata", OBJECT_META)
                  .add(
                      2,
                      "spec",
                      new Schema("TokenRequestSpec")
                          .list(1, "audiences", Type.STRING)
                          .add(
                              3,
                              "boundObjectRef",
                              new Schema("BoundObjectReference")
                                  .add(1, "kind", Type.STRING)
                                  .add(2, "apiVersion", Type.STRING)
                                  .add(3, "name", Type.STRING)
                                  .add(4, "uid", Type.STRING))
                          .add(4, "expirationSeconds", Type.INT64))
                  .add(
                      3,
                      "status",
                      new Schema("TokenRequestStatus")
                          .add(1, "token", Type.STRING)
                          .add(2, "expirationTimestamp", Type.TIME)));

  // ---------------------------------------------------------------- decoding

  private static ObjectNode decode(Reader in, Schema schema) throws Unsupported {
    ObjectNode json = Json.object();
    while (in.more()) {
      int key = in.key();
      int number = key >>> 3;
      Field field = schema.fields.get(number);
      if (field == null) {
        throw new Unsupported("field " + number + " of " + schema.name + " is not read here");
      }
      boolean varint =
          field.type() == Type.BOOL || field.type() == Type.INT64 || field.type() == Type.COUNT;
      if ((key & 7) != (varint ? 0 : 2)) {
        throw new Unsupported(
            "field " + number + " of " + schema.name + " has wire type " + (key & 7));
      }
      switch (field.type()) {
        case STRING_MAP, BYTES_MAP -> {
          Reader entry = in.message();
          String name = "";
          JsonNode value = TextNode.valueOf("");
          while (entry.more()) {
            int entryKey = entry.key();
            if (entryKey == (1 << 3 | 2)) {
              name = entry.string();
            } else if (entryKey == (2 << 3 | 2)) {
              byte[] bytes = entry.bytes();
              value =
                  TextNode.valueOf(
                      field.type() == Type.STRING_MAP
                          ? new String(bytes, StandardCharsets.UTF_8)
                          : Base64.getEncoder().encodeToString(bytes));
            } else {
              throw new Unsupported(
                  "field " + number + " of " + schema.name + " is not a map entry");
            }
          }
          json.withObjectProperty(field.name()).set(name, value);
        }
        default -> {
          JsonNode value = value(in, field);
          if (field.repeated()) {
            json.withArrayProperty(field.name()).add(value == null ? TextNode.valueOf("") : value);
          } else if (value != null) {
            json.set(field.name(), value);
          }
        }
      }
    }
    return json;
  }

  /**
   * One value; null for a plain field at its zero value (omitted from the JSON, as Go's omitempty
   * does).
   */
  private static JsonNode value(Reader in, Field field) throws Unsupported {
    return switch (field.type()) {
      case STRING -> {
        String text = in.string();
        yield text.isEmpty() ? null : TextNode.valueOf(text);
      }
      case BOOL -> BooleanNode.valueOf(in.varint() != 0);
      case INT64 -> LongNode.valueOf(in.varint());
      case COUNT -> {
        long count = in.varint();
        yield count == 0 ? null : LongNode.valueOf(count);
      }
      case TIME -> {
        Reader time = in.message();
        long seconds = 0;
        while (time.more()) {
          int key = time.key();
          if (key == (1 << 3)) {
            seconds = time.varint();
          } else {
            time.skip(key); // nanos: JSON times have whole seconds
          }
        }
        yield seconds == 0 ? null : TextNode.valueOf(Instant.ofEpochSecond(seconds).toString());
      }
      case MESSAGE -> decode(in.message(), field.message());
      default -> throw new IllegalStateException(field.type().toString());
    };
  }

  /** Protobuf wire format over {@code buffer[position, end)}. */
  private static final class Reader {
    private final byte[] buffer;
    private int position;
    private final int end;

    Reader(byte[] buffer, int position, int end) {
      this.buffer = buffer;
      this.position = position;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    int key() throws Unsupported {
      long key = varint();
      if (key <= 0 || key > Integer.MAX_VALUE) {
        throw new Unsupported("malformed protobuf: field key " + key);
      }
      return (int) key;
    }

    long varint() throws Unsupported {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new Unsupported("malformed protobuf: truncated varint");
        }
        byte b = buffer[position++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new Unsupported("malformed protobuf: varint longer than 10 bytes");
    }

    Reader message() throws Unsupported {
      long length = varint();
      if (length < 0 || length > end - position) {
        throw new Unsupported("malformed protobuf: length " + length + " past the end");
      }
      Reader sub = new Reader(buffer, position, position + (int) length);
      position += (int) length;
      return sub;
    }

    byte[] bytes() throws Unsupported {
      Reader sub = message();
      return Arrays.copyOfRange(buffer, sub.position, sub.end);
    }

    String string() throws Unsupported {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int key) throws Unsupported {
      switch (key & 7) {
        case 0 -> varint();
        case 1 -> advance(8);
        case 2 -> message();
        case 5 -> advance(4);
        default -> throw new Unsupported("malformed protobuf: wire type " + (key & 7));
      }
    }

    private void advance(int n) throws Unsupported {
      if (n > end - position) {
        throw new Unsupported("malformed protobuf: truncated field");
      }
      position += n;
    }
  }
}
