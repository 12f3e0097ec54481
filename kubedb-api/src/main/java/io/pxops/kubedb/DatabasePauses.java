package io.pxops.kubedb;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;

/**
 * Pausing and resuming a PerconaXtraDB the way KubeDB's Ops Manager does: by setting or removing the {@code Paused}
 * condition on its status (never {@code spec.halted}, which deletes the PetSet). While paused, KubeDB's community
 * operator leaves the database's PetSet, Secret and Services alone, so an update can change the PetSet's images
 * without the operator putting them back.
 *
 * <p>Each write is a version-checked status patch ({@link StatusPatches}); on a conflict (another writer changed
 * the object in between, e.g. the operator updating the phase) it re-reads and tries again, a bounded number of
 * times. Both operations are idempotent: pausing a paused database changes nothing.
 */
public final class DatabasePauses {

  private static final int ATTEMPTS = 10;

  private DatabasePauses() {
  }

  /** Sets the {@code Paused} condition; returns the database as written (or as found, if already paused). */
  public static PerconaXtraDB pause(KubernetesClient client, String namespace, String name, String message) {
    return write(client, namespace, name, true, message, null);
  }

  /** Removes the {@code Paused} condition; returns the database as written (or as found, if not paused). */
  public static PerconaXtraDB resume(KubernetesClient client, String namespace, String name) {
    return write(client, namespace, name, false, null, null);
  }

  /**
   * Removes the {@code Paused} condition of {@code read}, the database as the caller just read it: its first write
   * goes through that object (version-checked, so a change since is a conflict, re-read and retried) instead of
   * reading it again, one API call fewer at the end of every update.
   */
  public static PerconaXtraDB resume(KubernetesClient client, PerconaXtraDB read) {
    return write(client, read.getMetadata().getNamespace(), read.getMetadata().getName(), false, null, read);
  }

  private static PerconaXtraDB write(KubernetesClient client, String namespace, String name, boolean paused,
      String message, PerconaXtraDB read) {
    KubernetesClientException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      PerconaXtraDB db = attempt == 0 && read != null ? read
          : client.resources(PerconaXtraDB.class).inNamespace(namespace).withName(name).get();
      if (db == null) {
        throw new KubernetesClientException("PerconaXtraDB " + namespace + "/" + name + " not found", 404, null);
      }
      if (KubeDbConditions.isPaused(db) == paused) {
        return db;
      }
      PerconaXtraDBStatus status = db.getStatus() != null ? db.getStatus() : new PerconaXtraDBStatus();
      List<Condition> conditions = paused
          ? KubeDbConditions.pause(status.getConditions(), message, db.getMetadata().getGeneration())
          : KubeDbConditions.resume(status.getConditions());
      status.setConditions(conditions);
      try {
        // through the object just read: a patch by name first GETs the object again (fabric8 7 reads it for its
        // name and namespace), one more API call on every step that pauses or resumes
        return client.resources(PerconaXtraDB.class).resource(db).subresource("status").patch(PatchContext.of(PatchType.JSON),
                StatusPatches.replaceStatus(db.getMetadata().getResourceVersion(), status));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        last = e; // another writer got there first: re-read and apply our change on top of theirs
      }
    }
    throw last;
  }
}
