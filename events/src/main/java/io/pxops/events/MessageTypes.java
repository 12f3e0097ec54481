package io.pxops.events;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry of logical type names, derived once from the sealed {@link Message} hierarchy: every
 * record reachable through {@link Class#getPermittedSubclasses()} is a message type, and its logical
 * name is its simple class name. There is no hand-maintained list that could drift from the code:
 * adding a record to a {@code permits} clause registers it.
 */
public final class MessageTypes {

  private static final Map<String, Class<? extends Message>> BY_NAME = derive();

  private MessageTypes() {}

  /**
   * Every message type, by logical name, sorted by name.
   *
   * @return an unmodifiable map from logical name to record class
   */
  public static Map<String, Class<? extends Message>> all() {
    return BY_NAME;
  }

  /**
   * Looks a logical name up.
   *
   * @param name e.g. {@code "PodEvicted"}
   * @return the record class, or empty if no message type has that name
   */
  public static Optional<Class<? extends Message>> forName(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }

  /**
   * The logical name of a message type.
   *
   * @param type a record class of the hierarchy
   * @return its logical name
   * @throws IllegalArgumentException if {@code type} is not a registered record
   */
  public static String nameOf(Class<? extends Message> type) {
    String name = type.getSimpleName();
    if (BY_NAME.get(name) != type) {
      throw new IllegalArgumentException(type.getName() + " is not a registered message type");
    }
    return name;
  }

  /**
   * The logical name of a message.
   *
   * @param message a message
   * @return its logical name
   */
  public static String nameOf(Message message) {
    return nameOf(message.getClass());
  }

  private static Map<String, Class<? extends Message>> derive() {
    Map<String, Class<? extends Message>> byName = new TreeMap<>();
    collect(Message.class, byName);
    return Collections.unmodifiableMap(byName);
  }

  private static void collect(Class<?> type, Map<String, Class<? extends Message>> byName) {
    if (type.isSealed()) {
      for (Class<?> permitted : type.getPermittedSubclasses()) {
        collect(permitted, byName);
      }
    } else if (type.isRecord()) {
      Class<? extends Message> leaf = type.asSubclass(Message.class);
      Class<? extends Message> clash = byName.putIfAbsent(leaf.getSimpleName(), leaf);
      if (clash != null) {
        throw new IllegalStateException(
            "two message types share the name " + leaf.getSimpleName() + ": " + clash + ", " + leaf);
      }
    } else {
      throw new IllegalStateException(type + " must be a sealed interface or a record");
    }
  }
}
