package io.pxops.sandbox.kube;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API server's strict field validation ({@code ?fieldValidation=Strict}, which kubectl sends by default since
 * 1.27 when the OpenAPI document says the server supports it): the fields of a written object that its kind does
 * not declare. Without it a typo in a manifest ({@code spec.terminationPolicyy}) is silently dropped and the user
 * learns of it only when the database behaves unlike the manifest.
 *
 * <p>Custom resources are checked against their CRD schema ({@link CustomResourceDefinitions}); built-in kinds
 * against fabric8's model of them (the same Kubernetes API the real server is generated from): a field is known when
 * the model has a property of that JSON name. Paths are written as the real server writes them
 * ({@code spec.containers[0].imagee}).
 */
final class StrictFieldValidation {

  @SuppressWarnings("deprecation") // the mapper fabric8's model is read with
  private static final ObjectMapper MODEL_MAPPER = Serialization.jsonMapper();

  private final CustomResourceDefinitions definitions;
  private final Map<String, Optional<Class<?>>> builtInTypes = new ConcurrentHashMap<>();

  StrictFieldValidation(CustomResourceDefinitions definitions) {
    this.definitions = definitions;
  }

  /**
   * The unknown fields of {@code object} (a whole object or a merge patch of one), in document order; empty when
   * every field is known or the kind is not known here (the server then has nothing to check it against).
   */
  List<String> unknownFields(JsonNode object) {
    List<String> unknown = new ArrayList<>();
    if (object == null || !object.isObject()) {
      return unknown;
    }
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    Optional<CustomResourceDefinitions.Version> custom = definitions.findKind(apiVersion, kind);
    if (custom.isPresent()) {
      JsonNode schema = custom.get().schema();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        if (field.getKey().equals("metadata")) {
          walkModel(field.getValue(), MODEL_MAPPER.constructType(ObjectMeta.class), "metadata", unknown);
        } else {
          JsonNode property = schema.path("properties").path(field.getKey());
          if (property.isMissingNode()) {
            unknown.add(field.getKey());
          } else {
            walkSchema(field.getValue(), property, field.getKey(), unknown);
          }
        }
      }
      return unknown;
    }
    Optional<Class<?>> type = builtInTypes.computeIfAbsent(apiVersion + "/" + kind, k -> modelClass(apiVersion, kind));
    type.ifPresent(t -> walkModel(object, MODEL_MAPPER.constructType(t), "", unknown));
    return unknown;
  }

  /**
   * The schema errors of a custom resource (a whole object or a merge patch of one), as the API server words them:
   * {@code spec.terminationPolicy: Unsupported value: "Delet": supported values: "Halt", "Delete", ...} and
   * {@code spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"}. Empty for
   * a built-in kind (their validation is the API server's own code, not a schema) or a valid object.
   */
  List<String> schemaErrors(JsonNode object) {
    List<String> errors = new ArrayList<>();
    Optional<CustomResourceDefinitions.Version> custom = definitions.findKind(object.path("apiVersion").asText(""),
        object.path("kind").asText(""));
    if (custom.isPresent()) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode property = custom.get().schema().path("properties").path(field.getKey());
        if (!field.getKey().equals("metadata") && !property.isMissingNode()) {
          checkSchema(field.getValue(), property, field.getKey(), errors);
        }
      }
    }
    return errors;
  }

  private static void checkSchema(JsonNode value, JsonNode schema, String path, List<String> errors) {
    if (value.isNull() || schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return;
    }
    String type = schema.path("type").asText("");
    String actual = value.isTextual() ? "string" : value.isIntegralNumber() ? "integer" : value.isNumber() ? "number"
        : value.isBoolean() ? "boolean" : value.isArray() ? "array" : "object";
    boolean matches = type.isEmpty() || type.equals(actual) || (type.equals("number") && actual.equals("integer"));
    if (!matches) {
      errors.add(path + ": Invalid value: \"" + actual + "\": " + path + " in body must be of type " + type + ": \""
          + actual + "\"");
      return;
    }
    JsonNode allowed = schema.path("enum");
    if (allowed.isArray() && !allowed.isEmpty()) {
      boolean listed = false;
      for (JsonNode a : allowed) {
        listed |= a.equals(value);
      }
      if (!listed) {
        List<String> quoted = new ArrayList<>();
        allowed.forEach(a -> quoted.add(a.toString()));
        errors.add(path + ": Unsupported value: " + value + ": supported values: " + String.join(", ", quoted));
      }
    }
    if (value.isObject()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        JsonNode property = schema.path("properties").path(field.getKey());
        if (property.isMissingNode() && schema.path("additionalProperties").isObject()) {
          property = schema.path("additionalProperties");
        }
        if (!property.isMissingNode()) {
          checkSchema(field.getValue(), property, join(path, field.getKey()), errors);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        checkSchema(value.get(i), schema.get("items"), path + "[" + i + "]", errors);
      }
    }
  }

  private static void walkSchema(JsonNode value, JsonNode schema, String path, List<String> unknown) {
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String child = join(path, field.getKey());
        JsonNode property = properties.path(field.getKey());
        if (!property.isMissingNode()) {
          walkSchema(field.getValue(), property, child, unknown);
        } else if (additional.isObject()) {
          walkSchema(field.getValue(), additional, child, unknown);
        } else if (!preserve && !additional.asBoolean(false)) {
          unknown.add(child);
        }
      }
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        walkSchema(value.get(i), schema.get("items"), path + "[" + i + "]", unknown);
      }
    }
  }

  /** Walks {@code value} along fabric8's model class {@code type}. */
  private static void walkModel(JsonNode value, JavaType type, String path, List<String> unknown) {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
      for (int i = 0; i < value.size(); i++) {
        walkModel(value.get(i), type.getContentType(), path + "[" + i + "]", unknown);
      }
      return;
    }
    if (!value.isObject()) {
      return;
    }
    if (type.isMapLikeType()) {
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        walkModel(field.getValue(), type.getContentType(), join(path, field.getKey()), unknown);
      }
      return;
    }
    Class<?> raw = type.getRawClass();
    if (!isModelBean(raw)) {
      return; // a leaf for the model: Quantity, IntOrString, a free-form JSON value
    }
    BeanDescription bean = MODEL_MAPPER.getDeserializationConfig().introspect(type);
    Map<String, BeanPropertyDefinition> properties = new java.util.HashMap<>();
    for (BeanPropertyDefinition p : bean.findProperties()) {
      properties.put(p.getName(), p);
    }
    for (Map.Entry<String, JsonNode> field : value.properties()) {
      String child = join(path, field.getKey());
      BeanPropertyDefinition property = properties.get(field.getKey());
      if (property == null) {
        unknown.add(child);
      } else {
        walkModel(field.getValue(), property.getPrimaryType(), child, unknown);
      }
    }
  }

  /** A class of fabric8's model that Jackson reads property by property (unknown fields go to its any-setter). */
  private static boolean isModelBean(Class<?> raw) {
    if (!raw.getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return false;
    }
    JsonDeserialize custom = raw.getAnnotation(JsonDeserialize.class);
    if (custom != null && custom.using() != com.fasterxml.jackson.databind.JsonDeserializer.None.class) {
      return false;
    }
    for (java.lang.reflect.Method m : raw.getMethods()) {
      if (m.isAnnotationPresent(JsonAnySetter.class)) {
        return true;
      }
    }
    return false;
  }

  /** fabric8's model class for a built-in kind, or empty when fabric8 knows no such kind. */
  @SuppressWarnings("deprecation")
  private static Optional<Class<?>> modelClass(String apiVersion, String kind) {
    if (apiVersion.isEmpty() || kind.isEmpty()) {
      return Optional.empty();
    }
    try {
      Object probe = Serialization.unmarshal("{\"apiVersion\":" + MODEL_MAPPER.writeValueAsString(apiVersion)
          + ",\"kind\":" + MODEL_MAPPER.writeValueAsString(kind) + "}");
      return probe == null || probe instanceof GenericKubernetesResource ? Optional.empty()
          : Optional.of(probe.getClass());
    } catch (Exception notAModel) {
      return Optional.empty();
    }
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
