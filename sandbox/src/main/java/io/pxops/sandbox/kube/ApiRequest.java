package io.pxops.sandbox.kube;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request to the Kubernetes API as its authorizer sees it: who asked, the verb, and what for — the attributes
 * the real API server's {@code RequestInfoFactory} derives from the method and the path, and that RBAC rules are
 * evaluated against.
 *
 * <p>Verbs follow the API server: {@code GET} of a collection is {@code list}, with {@code watch=true} (or
 * {@code 1}) it is {@code watch}; {@code GET} of one object is {@code get}; {@code POST} {@code create}; {@code PUT}
 * {@code update}; {@code PATCH} {@code patch}; {@code DELETE} of one object {@code delete}, of a collection
 * {@code deletecollection}. A list or watch narrowed by {@code fieldSelector=metadata.name=X} carries the name X, as
 * the API server sets it so that {@code resourceNames} rules can allow it. A path outside the resource tree
 * ({@code /version}, discovery documents, {@code /openapi/...}) is a non-resource request: {@code resource} is
 * empty and {@link #nonResourcePath()} holds the path.
 *
 * @param user the caller's identity (e.g. {@code system:serviceaccount:pxops:pxops-verifier})
 * @param verb the RBAC verb
 * @param apiGroup the API group, empty for the core group
 * @param resource the resource (plural), empty for a non-resource request
 * @param subresource e.g. {@code status} or {@code eviction}, else empty
 * @param namespace the namespace, empty for a cluster-scoped or all-namespaces request
 * @param name the object's name, empty for a collection
 * @param nonResourcePath the path of a non-resource request, else empty
 */
public record ApiRequest(String user, String verb, String apiGroup, String resource, String subresource,
    String namespace, String name, String nonResourcePath) {

  private static final String SEPARATOR = "\t";

  public ApiRequest {
    for (String field : List.of(user, verb, apiGroup, resource, subresource, namespace, name, nonResourcePath)) {
      if (field.contains(SEPARATOR) || field.contains("\n")) {
        throw new IllegalArgumentException("an API request attribute holds a tab or a newline: " + field);
      }
    }
  }

  /** A resource request. */
  public static ApiRequest resource(String user, String verb, String apiGroup, String resource, String subresource,
      String namespace, String name) {
    return new ApiRequest(user, verb, apiGroup, resource, subresource, namespace, name, "");
  }

  /** Whether this is a request for a path outside the resource tree (discovery, version, OpenAPI). */
  public boolean isNonResource() {
    return resource.isEmpty();
  }

  /** {@code resource/subresource}, or the resource alone: how RBAC rules name it (e.g. {@code pods/eviction}). */
  public String combinedResource() {
    return subresource.isEmpty() ? resource : resource + "/" + subresource;
  }

  /**
   * The request's attributes from its HTTP method and path (with query), as the API server derives them.
   *
   * @param user who asked
   * @param method the HTTP method
   * @param pathAndQuery the request path, with its query if any
   */
  public static ApiRequest of(String user, String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q >= 0 ? pathAndQuery.substring(0, q) : pathAndQuery;
    Map<String, String> query = q >= 0 ? query(pathAndQuery.substring(q + 1)) : Map.of();
    List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
    String group;
    int rest;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      rest = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      rest = 3;
    } else {
      return new ApiRequest(user, method.toLowerCase(Locale.ROOT).equals("head") ? "get"
          : method.toLowerCase(Locale.ROOT), "", "", "", "", "", path.isEmpty() ? "/" : path);
    }
    List<String> resourceParts = new ArrayList<>(parts.subList(rest, parts.size()));
    String verb = switch (method.toUpperCase(Locale.ROOT)) {
      case "GET", "HEAD" -> "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method.toLowerCase(Locale.ROOT);
    };
    if (!resourceParts.isEmpty() && resourceParts.get(0).equals("watch")) {
      // the deprecated /watch/ prefix
      verb = "watch";
      resourceParts.remove(0);
    }
    String namespace = "";
    if (resourceParts.size() >= 2 && resourceParts.get(0).equals("namespaces")) {
      namespace = resourceParts.get(1);
      if (resourceParts.size() > 2) {
        resourceParts = new ArrayList<>(resourceParts.subList(2, resourceParts.size()));
      }
      // else the request is for the namespace object itself: resource namespaces, name = the namespace
    }
    String resource = resourceParts.isEmpty() ? "" : resourceParts.get(0);
    String name = resourceParts.size() >= 2 ? resourceParts.get(1) : "";
    String subresource = resourceParts.size() >= 3 ? resourceParts.get(2) : "";
    if (name.isEmpty()) {
      if (verb.equals("get")) {
        verb = "list";
      } else if (verb.equals("delete")) {
        verb = "deletecollection";
      }
    }
    if ((verb.equals("list") || verb.equals("get")) && isTrue(query.get("watch"))) {
      verb = "watch";
    }
    if ((verb.equals("list") || verb.equals("watch")) && name.isEmpty()) {
      String fieldSelector = query.getOrDefault("fieldSelector", "");
      for (String term : fieldSelector.split(",")) {
        String t = term.trim();
        if (t.startsWith("metadata.name=") && !t.startsWith("metadata.name!=")) {
          name = t.substring("metadata.name=".length()).replaceFirst("^=", "");
        }
      }
    }
    return new ApiRequest(user, verb, group, resource, subresource, namespace, name, "");
  }

  private static boolean isTrue(String value) {
    return "true".equalsIgnoreCase(value) || "1".equals(value);
  }

  private static Map<String, String> query(String query) {
    Map<String, String> values = new HashMap<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq >= 0 ? pair.substring(0, eq) : pair;
      String value = eq >= 0 ? pair.substring(eq + 1) : "";
      values.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  /** One line of the log file: the fields separated by tabs. */
  public String toLine() {
    return String.join(SEPARATOR, user, verb, apiGroup, resource, subresource, namespace, name, nonResourcePath);
  }

  /** The inverse of {@link #toLine()}. */
  public static ApiRequest fromLine(String line) {
    String[] f = line.split(SEPARATOR, -1);
    if (f.length != 8) {
      throw new IllegalArgumentException("an API request log line has 8 tab-separated fields, not " + f.length
          + ": " + line);
    }
    return new ApiRequest(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
  }

  @Override
  public String toString() {
    if (isNonResource()) {
      return user + " " + verb + " " + nonResourcePath;
    }
    return user + " " + verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + combinedResource()
        + (namespace.isEmpty() ? "" : " in " + namespace) + (name.isEmpty() ? "" : " named " + name);
  }
}
