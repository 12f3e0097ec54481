package io.pxops.sandbox.kube;

import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.crud.CrudDispatcher;
import io.fabric8.mockwebserver.crud.Value;
import java.lang.reflect.Field;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The object store of fabric8's CRUD mock, indexed by kind, namespace and name.
 *
 * <p>Why: the mock keeps every object in one map and answers each request by testing every stored object against
 * the request's attributes ({@code map.entrySet().stream().filter(e -> e.getKey().matches(query))}), so a GET of one
 * pod costs O(objects). With a fleet of 1,000 databases (~10,000 objects) its single event loop spent a full core
 * in {@code AttributeSet.matches} and updates slowed from 179/min at 100 databases to 15–44/min.
 *
 * <p>How: {@link LocalApiDispatcher} runs each request inside {@link #narrowedTo(String, Supplier)}, which records
 * the request path's kind, namespace and name. While it runs, {@link #entrySet()} returns only the stored objects
 * that could match it (same kind and namespace, and same name when the path names one) instead of all of them.
 * The mock still applies its own {@code matches} to what is returned, so the answers are the mock's; this only
 * leaves out objects that cannot match. An object or a request whose kind, namespace or name is not a single plain
 * value (a wildcard {@code *}, several values, missing) is never narrowed: the object is offered to every
 * request, the request sees every object.
 */
final class IndexedCrudStore extends AbstractMap<AttributeSet, String> {

  private static final String PLURAL = KubernetesAttributesExtractor.PLURAL;
  private static final String NAMESPACE = KubernetesAttributesExtractor.NAMESPACE;
  private static final String NAME = KubernetesAttributesExtractor.NAME;
  private static final String WILDCARD = "*";

  private final Map<AttributeSet, String> all = new LinkedHashMap<>();
  /** kind + namespace → the objects of that kind in that namespace. */
  private final Map<String, Map<AttributeSet, String>> byKindAndNamespace = new HashMap<>();
  /** kind + namespace + name → the object(s) with that name (one, unless stored with other attributes). */
  private final Map<String, Map<AttributeSet, String>> byName = new HashMap<>();
  /** Objects whose kind, namespace or name cannot be indexed: offered to every request. */
  private final Map<AttributeSet, String> unindexed = new LinkedHashMap<>();

  private final ThreadLocal<AttributeSet> currentRequest = new ThreadLocal<>();
  private final KubernetesAttributesExtractor pathAttributes = new KubernetesAttributesExtractor();

  /** Puts an indexed store in place of the map the mock was built with (which must still be empty). */
  static IndexedCrudStore installIn(KubernetesMixedDispatcher mixed) {
    try {
      Field crudField = KubernetesMixedDispatcher.class.getDeclaredField("kubernetesCrudDispatcher");
      crudField.setAccessible(true);
      KubernetesCrudDispatcher crud = (KubernetesCrudDispatcher) crudField.get(mixed);
      Field mapField = CrudDispatcher.class.getDeclaredField("map");
      mapField.setAccessible(true);
      Map<?, ?> previous = (Map<?, ?>) mapField.get(crud);
      if (!previous.isEmpty()) {
        throw new IllegalStateException("the mock's store already holds " + previous.size() + " objects");
      }
      IndexedCrudStore store = new IndexedCrudStore();
      mapField.set(crud, store);
      return store;
    } catch (ReflectiveOperationException e) {
      // a fabric8 upgrade that renames these fields must fail loudly here, not fall back to the slow store unseen
      throw new IllegalStateException("cannot index fabric8's mock store (fabric8 version changed?)", e);
    }
  }

  /** Runs {@code request}, a dispatch of the request at {@code path}, with the store narrowed to that path. */
  <T> T narrowedTo(String path, Supplier<T> request) {
    AttributeSet previous = currentRequest.get();
    currentRequest.set(pathAttributes.fromPath(path));
    try {
      return request.get();
    } finally {
      if (previous == null) {
        currentRequest.remove();
      } else {
        currentRequest.set(previous);
      }
    }
  }

  @Override
  public synchronized String put(AttributeSet key, String value) {
    String previous = remove(key);
    all.put(key, value);
    String kindAndNamespace = storedIndexKey(key);
    if (kindAndNamespace == null) {
      unindexed.put(key, value);
    } else {
      byKindAndNamespace.computeIfAbsent(kindAndNamespace, k -> new LinkedHashMap<>()).put(key, value);
      byName.computeIfAbsent(indexKey(key, true), k -> new LinkedHashMap<>()).put(key, value);
    }
    return previous;
  }

  @Override
  public synchronized String remove(Object key) {
    String previous = all.remove(key);
    if (previous == null || !(key instanceof AttributeSet)) {
      return previous;
    }
    AttributeSet attributes = (AttributeSet) key;
    String kindAndNamespace = storedIndexKey(attributes);
    if (kindAndNamespace == null) {
      unindexed.remove(key);
    } else {
      removeFrom(byKindAndNamespace, kindAndNamespace, key);
      removeFrom(byName, indexKey(attributes, true), key);
    }
    return previous;
  }

  @Override
  public synchronized String get(Object key) {
    return all.get(key);
  }

  @Override
  public synchronized boolean containsKey(Object key) {
    return all.containsKey(key);
  }

  /** Every key, whatever request is running (only {@link #entrySet()} is narrowed). */
  @Override
  public synchronized Set<AttributeSet> keySet() {
    return Set.copyOf(all.keySet());
  }

  @Override
  public synchronized java.util.Collection<String> values() {
    return List.copyOf(all.values());
  }

  @Override
  public synchronized int size() {
    return all.size();
  }

  @Override
  public synchronized void clear() {
    all.clear();
    byKindAndNamespace.clear();
    byName.clear();
    unindexed.clear();
  }

  /**
   * A snapshot of the objects the current request could match (every object outside a request). A snapshot, so
   * the mock may stream it while another request changes the store.
   */
  @Override
  public synchronized Set<Entry<AttributeSet, String>> entrySet() {
    AttributeSet request = currentRequest.get();
    String kindAndNamespace = request == null ? null : indexKey(request, false);
    List<Entry<AttributeSet, String>> snapshot = new ArrayList<>();
    if (kindAndNamespace == null) {
      all.forEach((k, v) -> snapshot.add(new SimpleImmutableEntry<>(k, v)));
    } else {
      String name = single(request, NAME);
      Map<AttributeSet, String> candidates = name == null
          ? byKindAndNamespace.get(kindAndNamespace)
          : byName.get(indexKey(request, true));
      if (candidates != null) {
        candidates.forEach((k, v) -> snapshot.add(new SimpleImmutableEntry<>(k, v)));
      }
      unindexed.forEach((k, v) -> snapshot.add(new SimpleImmutableEntry<>(k, v)));
    }
    return new AbstractSet<>() {
      @Override
      public Iterator<Entry<AttributeSet, String>> iterator() {
        return snapshot.iterator();
      }

      @Override
      public int size() {
        return snapshot.size();
      }
    };
  }

  /** How many stored objects no request can be narrowed to (tests: our kinds must all be indexed). */
  synchronized int unindexedCount() {
    return unindexed.size();
  }

  /** How many objects a request at {@code path} is offered (tests). */
  int candidatesFor(String path) {
    return narrowedTo(path, () -> entrySet().size());
  }

  /**
   * The kind + namespace key of a stored object, or {@code null} when it must be offered to every request: its
   * kind or namespace is not a single plain value, or it has a name that is not (a wildcard name matches any).
   */
  private static String storedIndexKey(AttributeSet stored) {
    if (stored.getAttribute(NAME) != null && single(stored, NAME) == null) {
      return null;
    }
    return indexKey(stored, false);
  }

  /**
   * kind + namespace (+ name) as one key, or {@code null} when any of them is not a single plain value; with
   * {@code withName} and no name, the kind + namespace key with an empty name (so every object has a name key).
   */
  private static String indexKey(AttributeSet attributes, boolean withName) {
    String plural = single(attributes, PLURAL);
    String namespace = single(attributes, NAMESPACE);
    if (plural == null || namespace == null) {
      return null;
    }
    String key = plural + '\u0000' + namespace;
    if (!withName) {
      return key;
    }
    String name = single(attributes, NAME);
    return key + '\u0000' + (name == null ? "" : name);
  }

  /** The attribute's only value when it is a plain equality on one non-wildcard value, else {@code null}. */
  private static String single(AttributeSet attributes, String key) {
    Attribute attribute = attributes.getAttribute(key);
    if (attribute == null || attribute.getType() != AttributeType.WITH || attribute.getValues().size() != 1) {
      return null;
    }
    Value value = attribute.getValues().get(0);
    String text = value.toString();
    return text == null || WILDCARD.equals(text) ? null : text;
  }

  private static void removeFrom(Map<String, Map<AttributeSet, String>> index, String key, Object entry) {
    Map<AttributeSet, String> bucket = index.get(key);
    if (bucket != null) {
      bucket.remove(entry);
      if (bucket.isEmpty()) {
        index.remove(key);
      }
    }
  }
}
