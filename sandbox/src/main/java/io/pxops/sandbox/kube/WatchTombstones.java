package io.pxops.sandbox.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.crud.AttributeSet;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Deleted objects, kept for a while so that a watch resumed from an older {@code resourceVersion} still hears of
 * them.
 *
 * <p>Why: fabric8's informers end their watch every 5 to 10 minutes (a client-side timeout) and open a new one from
 * the last {@code resourceVersion} they saw, without listing again. fabric8's mock ignores that version: a new watch
 * is sent ADDED for every object that exists now, and nothing about objects deleted while no watch was open. The
 * informer then keeps a deleted pod in its cache for good. In a 10,000-database fleet run, 55 pods deleted during
 * such gaps were never re-created by the local PetSet controller (its cache still showed them), and their updates
 * stood still at "pod is being re-created". The real API server replays every event after the given version from its
 * watch cache, or answers 410 Gone when the version is older than the cache holds; this keeps the one kind of event
 * the mock's replay cannot rebuild, deletions, and answers 410 past its window, which makes an informer list again.
 *
 * <p>A tombstone is stamped with the store's resource version when the deletion was committed, so it is never older
 * than any version a client could have seen before the deletion: a watch resumed at version {@code X} is sent every
 * tombstone stamped {@code >= X} (a client that had in fact seen the deletion ignores a DELETED for an object it no
 * longer holds). Only the metadata is kept: name, namespace, uid, labels and owner references are what watchers
 * key their caches and handlers on.
 */
final class WatchTombstones {

  /** How long a deletion is kept: past fabric8's longest watch (10 minutes) with room for a slow reconnect. */
  static final Duration RETENTION = Duration.ofMinutes(15);
  /** At most this many: a bound on memory (each is a few hundred bytes) whatever the rate of deletions. */
  static final int MAX_TOMBSTONES = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One deleted object: its store key, its metadata-only form, and the version its deletion was stamped with. */
  record Tombstone(AttributeSet key, long stamp, long recordedNanos, String object) {
  }

  /** What a resumed watch is owed: the DELETED events to send first, or {@code expired} (answer 410 Gone). */
  record Resume(boolean expired, List<String> deletedEvents) {

    static final Resume NOTHING = new Resume(false, List.of());
    static final Resume EXPIRED = new Resume(true, List.of());
  }

  private final ArrayDeque<Tombstone> kept = new ArrayDeque<>();
  private final LongSupplier currentVersion;
  private final LongSupplier nanoClock;
  private final Duration retention;
  private final int maxKept;
  /** The newest stamp among dropped tombstones: a watch resumed at or below it may have missed a deletion. */
  private long horizon = -1;

  WatchTombstones(LongSupplier currentVersion) {
    this(currentVersion, System::nanoTime, RETENTION, MAX_TOMBSTONES);
  }

  WatchTombstones(LongSupplier currentVersion, LongSupplier nanoClock, Duration retention, int maxKept) {
    this.currentVersion = currentVersion;
    this.nanoClock = nanoClock;
    this.retention = retention;
    this.maxKept = maxKept;
  }

  /** The store's current resource version (a list answered now includes every change up to it). */
  long currentVersion() {
    return currentVersion.getAsLong();
  }

  /** Keeps the deletion of {@code storedJson} (the object as the store held it), stamped with the current version. */
  synchronized void record(AttributeSet key, String storedJson) {
    long stamp = currentVersion.getAsLong();
    String object;
    try {
      object = metadataOnly(JSON.readTree(storedJson), stamp);
    } catch (Exception notJson) {
      return; // the store holds only JSON it parsed itself; an object nobody can read is nobody's to forget
    }
    long now = nanoClock.getAsLong();
    kept.addLast(new Tombstone(key, stamp, now, object));
    prune(now);
  }

  /**
   * The DELETED events owed to a watch of {@code watched} resumed at {@code resourceVersion}: the kept deletions
   * it matches, stamped at or after that version, of objects that do not exist again now ({@code existsNow}; for
   * those the mock's replay of current objects already corrects the watcher, and a DELETED first would make it stop
   * and restart what runs them). A watch with no version (or {@code 0}) starts from now and is owed nothing.
   */
  synchronized Resume resume(String resourceVersion, AttributeSet watched, Predicate<AttributeSet> existsNow) {
    OptionalLong from = parse(resourceVersion);
    if (from.isEmpty()) {
      return Resume.NOTHING;
    }
    prune(nanoClock.getAsLong());
    if (from.getAsLong() <= horizon) {
      return Resume.EXPIRED;
    }
    List<String> events = new ArrayList<>();
    for (Tombstone t : kept) {
      if (t.stamp() >= from.getAsLong() && t.key().matches(watched) && !existsNow.test(t.key())) {
        events.add("{\"type\":\"DELETED\",\"object\":" + t.object() + "}");
      }
    }
    return new Resume(false, events);
  }

  synchronized int size() {
    return kept.size();
  }

  private void prune(long now) {
    long oldest = now - retention.toNanos();
    Iterator<Tombstone> it = kept.iterator();
    while (it.hasNext()) {
      Tombstone t = it.next();
      if (kept.size() <= maxKept && t.recordedNanos() - oldest >= 0) {
        break;
      }
      horizon = Math.max(horizon, t.stamp());
      it.remove();
    }
  }

  /** A version a client sent: a positive number, or empty for none, {@code 0} ("any") and anything unreadable. */
  static OptionalLong parse(String resourceVersion) {
    if (resourceVersion == null || resourceVersion.isBlank()) {
      return OptionalLong.empty();
    }
    try {
      long v = Long.parseLong(resourceVersion.trim());
      return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static String metadataOnly(JsonNode stored, long stamp) {
    ObjectNode object = JSON.createObjectNode();
    object.set("apiVersion", stored.path("apiVersion"));
    object.set("kind", stored.path("kind"));
    ObjectNode metadata = object.putObject("metadata");
    JsonNode source = stored.path("metadata");
    for (String field : List.of("name", "namespace", "uid", "labels", "ownerReferences")) {
      if (source.has(field)) {
        metadata.set(field, source.get(field));
      }
    }
    metadata.put("resourceVersion", Long.toString(stamp));
    return object.toString();
  }
}
