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
import java.util.concurrent.atomic.AtomicLong;
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
 * the request path's kind, namespace, name and label selector. While it runs, {@link #entrySet()} returns only the
 * stored objects that could match it (same kind and namespace; same name when the path names one; else carrying
 * the selector's rarest label) instead of all of them. (A later profile at 500 databases showed the label-selector
 * lists of pods, still O(pods in the namespace), as the next hot spot: hence the label index.)
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
  private static final String NAME_KEY = "\u0000name\u0000";
  /** How the mock names a label among an object's attributes: {@code labels:app=db} is key "labels:app". */
  private static final String LABEL_PREFIX = "labels:";

  private static final Field ATTRIBUTES;

  static {
    try {
      ATTRIBUTES = AttributeSet.class.getDeclaredField("attributes");
      ATTRIBUTES.setAccessible(true);
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Map<AttributeSet, String> all = new LinkedHashMap<>();
  /**
   * Index key → the objects filed under it. Each indexable object is filed under: its kind; kind + name; and, when
   * namespaced, kind + namespace, kind + namespace + name and kind + namespace + each label (see
   * {@link #filingKeys}).
   */
  private final Map<String, Map<AttributeSet, String>> index = new HashMap<>();
  /** Objects whose kind, namespace, name or labels are not single plain values: offered to every request. */
  private final Map<AttributeSet, String> unindexed = new LinkedHashMap<>();

  private final ThreadLocal<AttributeSet> currentRequest = new ThreadLocal<>();
  /** During a DELETE request: what it removed from the store, and the removed object. */
  private final ThreadLocal<Map<AttributeSet, String>> removedByDeletion = new ThreadLocal<>();
  private final WatchTombstones tombstones;
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
      Field versionField = KubernetesCrudDispatcher.class.getDeclaredField("resourceVersion");
      versionField.setAccessible(true);
      AtomicLong version = (AtomicLong) versionField.get(crud);
      IndexedCrudStore store = new IndexedCrudStore(new WatchTombstones(version::get));
      mapField.set(crud, store);
      return store;
    } catch (ReflectiveOperationException e) {
      // a fabric8 upgrade that renames these fields must fail loudly here, not fall back to the slow store unseen
      throw new IllegalStateException("cannot index fabric8's mock store (fabric8 version changed?)", e);
    }
  }

  IndexedCrudStore(WatchTombstones tombstones) {
    this.tombstones = tombstones;
  }

  /** The deletions kept for watches resumed from an older version. */
  WatchTombstones tombstones() {
    return tombstones;
  }

  /** Runs {@code request}, a dispatch of the request at {@code path}, with the store narrowed to that path. */
  <T> T narrowedTo(String path, Supplier<T> request) {
    return narrowedTo(path, false, request);
  }

  /**
   * As {@link #narrowedTo(String, Supplier)}; for a {@code deletion} (a DELETE request), every object it removed
   * and did not put back (a deletion held by finalizers is an update) is kept as a {@link WatchTombstones tombstone}.
   */
  <T> T narrowedTo(String path, boolean deletion, Supplier<T> request) {
    AttributeSet previous = currentRequest.get();
    currentRequest.set(pathAttributes.fromPath(path));
    if (deletion) {
      removedByDeletion.set(new LinkedHashMap<>());
    }
    try {
      return request.get();
    } finally {
      if (previous == null) {
        currentRequest.remove();
      } else {
        currentRequest.set(previous);
      }
      if (deletion) {
        Map<AttributeSet, String> removed = removedByDeletion.get();
        removedByDeletion.remove();
        removed.forEach((key, json) -> {
          if (!holdsObjectNamedAs(key)) {
            tombstones.record(key, json);
          }
        });
      }
    }
  }

  /** Whether an object of the same kind, namespace and name as {@code key} is stored now (whatever its labels). */
  synchronized boolean holdsObjectNamedAs(AttributeSet key) {
    String kind = single(key, PLURAL);
    String name = single(key, NAME);
    String namespace = single(key, NAMESPACE);
    if (kind == null || name == null) {
      return all.containsKey(key);
    }
    Map<AttributeSet, String> named = index.get(namespace == null ? kindAndName(kind, name)
        : kindAndNamespace(kind, namespace) + NAME_KEY + name);
    return named != null && !named.isEmpty();
  }

  @Override
  public synchronized String put(AttributeSet key, String value) {
    String previous = unfile(key);
    all.put(key, value);
    List<String> keys = filingKeys(key);
    if (keys == null) {
      unindexed.put(key, value);
    } else {
      for (String k : keys) {
        index.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(key, value);
      }
    }
    return previous;
  }

  @Override
  public synchronized String remove(Object key) {
    String previous = unfile(key);
    Map<AttributeSet, String> removed = removedByDeletion.get();
    if (previous != null && removed != null && key instanceof AttributeSet) {
      removed.put((AttributeSet) key, previous);
    }
    return previous;
  }

  private String unfile(Object key) {
    String previous = all.remove(key);
    if (previous == null || !(key instanceof AttributeSet)) {
      return previous;
    }
    List<String> keys = filingKeys((AttributeSet) key);
    if (keys == null) {
      unindexed.remove(key);
    } else {
      for (String k : keys) {
        Map<AttributeSet, String> bucket = index.get(k);
        if (bucket != null) {
          bucket.remove(key);
          if (bucket.isEmpty()) {
            index.remove(k);
          }
        }
      }
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
    index.clear();
    unindexed.clear();
  }

  /**
   * A snapshot of the objects the current request could match (every object outside a request). A snapshot, so
   * the mock may stream it while another request changes the store.
   */
  @Override
  public synchronized Set<Entry<AttributeSet, String>> entrySet() {
    AttributeSet request = currentRequest.get();
    List<Entry<AttributeSet, String>> snapshot = new ArrayList<>();
    Map<AttributeSet, String> candidates = request == null ? all : candidates(request);
    if (candidates != null) {
      candidates.forEach((k, v) -> snapshot.add(new SimpleImmutableEntry<>(k, v)));
    }
    if (candidates != all) {
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

  /**
   * The smallest set of indexed objects that holds every one the request can match ({@code null}: none can):
   * by kind (+ namespace) + name when it names an object; else, in a namespace, the smaller of that namespace's objects of the
   * kind and those carrying the rarest label of its selector; else every object of the kind. A request whose kind
   * is not a single plain value is offered everything.
   */
  private Map<AttributeSet, String> candidates(AttributeSet request) {
    String kind = single(request, PLURAL);
    if (kind == null) {
      return all;
    }
    String name = single(request, NAME);
    String namespace = single(request, NAMESPACE);
    if (name != null) {
      return index.get(namespace == null ? kindAndName(kind, name) : kindAndNamespace(kind, namespace) + NAME_KEY
          + name);
    }
    if (namespace == null) {
      return index.get(kind);
    }
    Map<AttributeSet, String> smallest = index.get(kindAndNamespace(kind, namespace));
    for (String label : labelKeys(request, kindAndNamespace(kind, namespace))) {
      Map<AttributeSet, String> bucket = index.get(label);
      if (bucket == null || smallest == null) {
        return null;
      }
      if (bucket.size() < smallest.size()) {
        smallest = bucket;
      }
    }
    return smallest;
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
   * The index keys a stored object is filed under, or {@code null} when it must be offered to every request: a
   * kind, namespace, name or label that is missing where needed, of several values or a wildcard could match a
   * request filed elsewhere.
   */
  private static List<String> filingKeys(AttributeSet stored) {
    String kind = single(stored, PLURAL);
    String name = single(stored, NAME);
    String namespace = single(stored, NAMESPACE);
    if (kind == null || name == null || (namespace == null && stored.getAttribute(NAMESPACE) != null)) {
      return null;
    }
    List<String> keys = new ArrayList<>(List.of(kind, kindAndName(kind, name)));
    if (namespace != null) {
      keys.add(kindAndNamespace(kind, namespace));
      keys.add(kindAndNamespace(kind, namespace) + NAME_KEY + name);
      List<String> labels = labelKeys(stored, kindAndNamespace(kind, namespace));
      for (String key : keysOf(stored)) {
        if (key.startsWith(LABEL_PREFIX) && single(stored, key) == null) {
          return null;
        }
      }
      keys.addAll(labels);
    }
    return keys;
  }

  private static String kindAndName(String kind, String name) {
    return kind + NAME_KEY + name;
  }

  private static String kindAndNamespace(String kind, String namespace) {
    return kind + "\u0000namespace\u0000" + namespace;
  }

  /**
   * The kind + namespace + label key + value of each label equality of {@code attributes} (a stored object's
   * labels, or a request's selector); other selector forms (!=, exists) are left to the mock's own matching.
   */
  private static List<String> labelKeys(AttributeSet attributes, String kindAndNamespace) {
    List<String> keys = new ArrayList<>();
    for (String key : keysOf(attributes)) {
      if (key.startsWith(LABEL_PREFIX)) {
        String value = single(attributes, key);
        if (value != null) {
          keys.add(kindAndNamespace + '\u0000' + key + '\u0000' + value);
        }
      }
    }
    return keys;
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

  /** The names of an attribute set's attributes (the mock keeps them in a package-private field). */
  private static List<String> keysOf(AttributeSet attributes) {
    try {
      List<String> keys = new ArrayList<>();
      for (Object key : ((Map<?, ?>) ATTRIBUTES.get(attributes)).keySet()) {
        keys.add(key.toString());
      }
      return keys;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot read the mock's attribute sets", e);
    }
  }


}
