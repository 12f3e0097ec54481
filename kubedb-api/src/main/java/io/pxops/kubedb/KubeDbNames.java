package io.pxops.kubedb;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * KubeDB's naming and labelling conventions for a PerconaXtraDB's offshoots: PetSet and primary Service
 * {@code <db>}, governing Service {@code <db>-pods}, auth Secret {@code <db>-auth}, pods {@code <db>-<i>}, database
 * container {@code perconaxtradb}.
 */
public final class KubeDbNames {

  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String LABEL_COMPONENT = "app.kubernetes.io/component";

  /** {@code app.kubernetes.io/name} of every PerconaXtraDB offshoot. */
  public static final String NAME_PERCONAXTRADBS = "perconaxtradbs.kubedb.com";
  public static final String MANAGED_BY_KUBEDB = "kubedb.com";
  public static final String COMPONENT_DATABASE = "database";

  /** The database container of a PerconaXtraDB pod. */
  public static final String CONTAINER = "perconaxtradb";
  /** The user of the auth Secret; KubeDB fixes it to {@code root}. */
  public static final String ROOT_USER = "root";
  /** Keys of the auth Secret (a {@code kubernetes.io/basic-auth} Secret). */
  public static final String SECRET_USERNAME_KEY = "username";
  public static final String SECRET_PASSWORD_KEY = "password";
  public static final int MYSQL_PORT = 3306;

  private KubeDbNames() {
  }

  /** The labels KubeDB puts on every offshoot of database {@code db}: name, instance, managed-by, component. */
  public static Map<String, String> labels(String db) {
    Map<String, String> labels = new LinkedHashMap<>(selectorLabels(db));
    labels.put(LABEL_MANAGED_BY, MANAGED_BY_KUBEDB);
    labels.put(LABEL_COMPONENT, COMPONENT_DATABASE);
    return labels;
  }

  /** The labels that select the pods of database {@code db}: name and instance. */
  public static Map<String, String> selectorLabels(String db) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, NAME_PERCONAXTRADBS);
    labels.put(LABEL_INSTANCE, db);
    return labels;
  }

  /** The PetSet of database {@code db}. */
  public static String petSetName(String db) {
    return db;
  }

  /** The primary (client) Service of database {@code db}. */
  public static String primaryServiceName(String db) {
    return db;
  }

  /** The governing (headless) Service of database {@code db}, the PetSet's {@code serviceName}. */
  public static String governingServiceName(String db) {
    return db + "-pods";
  }

  /** KubeDB's default auth Secret name, {@code <db>-auth}. */
  public static String defaultAuthSecretName(String db) {
    return db + "-auth";
  }

  /** The auth Secret of {@code db}: {@code spec.authSecret.name} if set, else {@code <db>-auth}. */
  public static String authSecretName(PerconaXtraDB db) {
    PerconaXtraDBSpec spec = db.getSpec();
    if (spec != null && spec.getAuthSecret() != null && spec.getAuthSecret().getName() != null
        && !spec.getAuthSecret().getName().isBlank()) {
      return spec.getAuthSecret().getName();
    }
    return defaultAuthSecretName(db.getMetadata().getName());
  }

  /** Pod {@code ordinal} of database {@code db}: {@code <db>-<ordinal>}. */
  public static String podName(String db, int ordinal) {
    return db + "-" + ordinal;
  }

  /** The ordinal of a PetSet pod name {@code <set>-<ordinal>}, or -1 when the name has no numeric suffix. */
  public static int ordinalOf(String podName) {
    int dash = podName.lastIndexOf('-');
    if (dash < 0 || dash == podName.length() - 1) {
      return -1;
    }
    try {
      return Integer.parseInt(podName.substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Stable DNS name of a pod behind the governing Service: {@code <db>-<i>.<db>-pods.<ns>}. */
  public static String peerHost(String namespace, String db, int ordinal) {
    return podName(db, ordinal) + "." + governingServiceName(db) + "." + namespace;
  }
}
