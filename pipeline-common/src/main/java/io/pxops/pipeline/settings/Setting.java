package io.pxops.pipeline.settings;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One setting, declared once: its name (an environment variable, also a {@code --flag}), its default as an operator
 * writes it, the rule a value must follow, what it does, and which programs read it. {@link #read} is the only way
 * pxops reads a value, so every bad value gets the same kind of message: the name, the rule and the value
 * ({@code PXOPS_VERIFY_HOLD_POLLS must be a whole number in 1..100 but was "0"}).
 *
 * <p>The catalogue of every declaration is {@link PxopsSettings}; the README's settings table is generated from it
 * ({@link SettingsTable}).
 *
 * @param <T> the value's type
 * @param name the environment variable
 * @param defaultValue the default as written in the README, parsed by the same rule; null when there is none or
 *     it is computed ({@code defaultNote} says how)
 * @param defaultNote how the README shows a computed default, e.g. "the host name"; null: {@code defaultValue}
 * @param rule what a value must be, e.g. "a whole number in 1..100"
 * @param description what the setting does, one or two sentences
 * @param readBy the programs that read it
 * @param oldMillisName a deprecated name whose value is whole milliseconds ({@code PXOPS_POLL_MS}), still accepted
 *     so that deployments written before the setting became a duration keep working; null: none
 * @param parser the value from its text, throwing {@link IllegalArgumentException} when it breaks the rule
 */
public record Setting<T>(String name, String defaultValue, String defaultNote, String rule, String description,
    Set<Program> readBy, String oldMillisName, Function<String, T> parser) {

  /** The programs of pxops that read settings, by their names in the README. */
  public enum Program {
    INGEST("ingest"), COORDINATOR("coordinator"), RUNNERS("step runners"), VERIFIER("verifier"),
    PROJECTOR("status projector"), CLI("the CLI"), DEV_TOOLS("dev tools");

    private final String label;

    Program(String label) {
      this.label = label;
    }

    /** The name the README uses. */
    public String label() {
      return label;
    }

    /** The five services. */
    public static final Set<Program> SERVICES = EnumSet.of(INGEST, COORDINATOR, RUNNERS, VERIFIER, PROJECTOR);
  }

  public Setting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parser, "parser");
    readBy = Set.copyOf(readBy);
    if (readBy.isEmpty()) {
      throw new IllegalArgumentException(name + ": a setting no program reads is no setting");
    }
    if (defaultValue != null) {
      // a default that breaks its own rule would end every start that relies on it: fail at class load instead
      parser.apply(defaultValue);
    }
  }

  /**
   * The value in {@code settings} (the environment with the flags laid over it), else the default.
   *
   * @return the value, or null when unset and without a default
   * @throws IllegalArgumentException naming the setting, the rule and the value
   */
  public T read(Map<String, String> settings) {
    String value = settings.get(name);
    String old = oldMillisName == null ? null : settings.get(oldMillisName);
    if (old != null) {
      if (value != null) {
        throw new IllegalArgumentException(name + " and its old name " + oldMillisName
            + " are both set; keep only " + name);
      }
      long millis;
      try {
        millis = Long.parseLong(old.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(oldMillisName + " (now " + name + ", " + Durations.SYNTAX
            + ") must be whole milliseconds but was \"" + old + "\"", e);
      }
      return parse(millis + "ms", oldMillisName + " (now " + name + ")", old);
    }
    String text = value == null ? defaultValue : value;
    if (text == null) {
      return null;
    }
    return parse(text, name, text);
  }

  private T parse(String text, String what, String shown) {
    try {
      return parser.apply(text);
    } catch (Refusal e) {
      // each broken rule with its field, which "must be <rule>" alone could not say; the value is not quoted whole
      // (it may be a long JSON list): each rule quotes its part
      throw new IllegalArgumentException(what + " must be " + rule + "; it " + e.getMessage(), e);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(what + " must be " + rule + " but was \"" + shown + "\"", e);
    }
  }

  /**
   * A structured value's refusal whose message names the setting and each broken rule with its field (a JSON list
   * of windows: which one, which field), starting with a verb ({@code breaks 2 rule(s): ...}); {@link #read} adds
   * the setting's name and rule in front.
   */
  public static class Refusal extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public Refusal(String message) {
      super(message);
    }
  }

  /** All the names this setting answers to: its own and its old one. */
  public List<String> names() {
    return oldMillisName == null ? List.of(name) : List.of(name, oldMillisName);
  }

  /** The default as the README shows it. */
  public String shownDefault() {
    return defaultNote != null ? defaultNote : defaultValue == null ? "" : defaultValue;
  }

  /** The {@code --flag} form of the name. */
  public String flag() {
    return "--" + name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  // ---- declarations: one factory per kind of value, each with its rule text ----

  /** A duration in {@link Durations}' syntax, within {@code min}..{@code max} (both in that syntax). */
  public static Setting<Duration> duration(String name, String defaultValue, String min, String max,
      String description, Set<Program> readBy) {
    return duration(name, defaultValue, min, max, null, description, readBy);
  }

  /** As above, with a deprecated whole-milliseconds name. */
  public static Setting<Duration> duration(String name, String defaultValue, String min, String max,
      String oldMillisName, String description, Set<Program> readBy) {
    Duration lo = Durations.parse(min);
    Duration hi = max == null ? null : Durations.parse(max);
    String rule = Durations.SYNTAX + (hi == null ? ", at least " + min : ", from " + min + " to " + max);
    return new Setting<>(name, defaultValue, null, rule, description, readBy, oldMillisName, text -> {
      Duration d = Durations.parse(text);
      if (d.compareTo(lo) < 0 || (hi != null && d.compareTo(hi) > 0)) {
        throw new IllegalArgumentException("out of range");
      }
      return d;
    });
  }

  /** A whole number in {@code min}..{@code max}. */
  public static Setting<Long> wholeNumber(String name, String defaultValue, long min, long max, String description,
      Set<Program> readBy) {
    String rule = "a whole number " + (max == Long.MAX_VALUE ? "of at least " + min : "in " + min + ".." + max);
    return new Setting<>(name, defaultValue, null, rule, description, readBy, null, text -> {
      long n = Long.parseLong(text.trim());
      if (n < min || n > max) {
        throw new IllegalArgumentException("out of range");
      }
      return n;
    });
  }

  /** A TCP port, 0..65535, 0 for any free port. */
  public static Setting<Long> port(String name, String defaultValue, String description, Set<Program> readBy) {
    return new Setting<>(name, defaultValue, null, "a port number in 0..65535 (0: any free port)", description,
        readBy, null, text -> {
          long n = Long.parseLong(text.trim());
          if (n < 0 || n > 65535) {
            throw new IllegalArgumentException("out of range");
          }
          return n;
        });
  }

  /** {@code true} or {@code false}. */
  public static Setting<Boolean> bool(String name, String defaultValue, String description, Set<Program> readBy) {
    return new Setting<>(name, defaultValue, null, "true or false", description, readBy, null,
        text -> switch (text.trim().toLowerCase(Locale.ROOT)) {
          case "true" -> true;
          case "false" -> false;
          default -> throw new IllegalArgumentException("not a boolean");
        });
  }

  /**
   * One of {@code choices} (the first ones are shown in the rule), case-insensitive, as its lower-case spelling;
   * further accepted spellings may follow after the shown ones.
   */
  public static Setting<String> choice(String name, String defaultValue, List<String> shown, List<String> accepted,
      String description, Set<Program> readBy) {
    String rule = shown.size() == 1 ? shown.get(0)
        : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.get(shown.size() - 1);
    return new Setting<>(name, defaultValue, null, rule, description, readBy, null, text -> {
      String v = text.trim().toLowerCase(Locale.ROOT);
      if (!shown.contains(v) && !accepted.contains(v)) {
        throw new IllegalArgumentException("not a choice");
      }
      return v;
    });
  }

  /** Free text; what it must look like is checked where it is used and said in {@code rule}. */
  public static Setting<String> text(String name, String defaultValue, String defaultNote, String rule,
      String description, Set<Program> readBy) {
    return new Setting<>(name, defaultValue, defaultNote, rule, description, readBy, null, text -> text);
  }
}
