package io.pxops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pxops.events.JsonCodec;
import io.pxops.events.OpsPhase;
import io.pxops.events.status.PodPhase;
import io.pxops.events.status.PodProgress;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StepTiming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** How the command line shows statuses: tables for people, JSON and YAML for scripts. */
final class StatusView {

  /** {@code -o}. */
  enum Format {
    table, json, yaml
  }

  private static final ObjectMapper JSON = JsonCodec.shared().mapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private StatusView() {
  }

  /** Any value in a machine format. */
  static String machine(Object value, Format format) {
    try {
      JsonNode tree = JSON.valueToTree(value);
      return format == Format.yaml ? YAML.writeValueAsString(tree)
          : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One request: a header, its steps with durations, its pods with a progress bar each. */
  static String detail(RequestStatus s) {
    StringBuilder b = new StringBuilder();
    b.append(header(s)).append('\n');
    if (s.failure() != null) {
      b.append("failed at ").append(s.failure().step() == null ? "?" : s.failure().step().conditionPrefix())
          .append(s.failure().pod() == null ? "" : " (" + s.failure().pod() + ")").append(": ")
          .append(s.failure().reason()).append(": ").append(s.failure().message()).append('\n');
    }
    if (s.rejection() != null) {
      b.append("rejected: ").append(s.rejection()).append('\n');
    }
    if (s.windowOpensAt() != null) {
      b.append("waiting for its maintenance window: opens ").append(s.windowOpensAt())
          .append(s.currentPod() == null ? ", then it starts" : ", then it evicts " + s.currentPod()).append('\n');
    }
    if (!s.steps().isEmpty()) {
      Table t = new Table("", "STEP", "TOOK", "RETRIES");
      for (StepTiming step : s.steps()) {
        t.row(mark(s, step), step.type(), step.duration() == null ? "…" : seconds(step.duration()),
            step.retries() == 0 ? "" : step.retries());
      }
      b.append('\n').append(t);
    }
    if (!s.pods().isEmpty()) {
      Table t = new Table("POD", "PROGRESS", "PHASE", "TOOK");
      for (PodProgress p : s.pods()) {
        t.row(p.pod(), bar(p.phase()), p.phase().wireName(), p.duration() == null ? "" : seconds(p.duration()));
      }
      b.append('\n').append(t);
    }
    return b.toString();
  }

  /** The requests, one line each. */
  static String list(List<RequestStatus> items) {
    Table t = new Table("REQUEST", "DATABASE", "VERSION", "PHASE", "STEP", "PODS", "TOOK");
    for (RequestStatus s : items) {
      long done = s.pods().stream().filter(p -> p.phase() == PodPhase.VERIFIED || p.phase() == PodPhase.UP_TO_DATE)
          .count();
      t.row(s.opsRequest(), s.database(), (s.fromVersion() == null ? "" : s.fromVersion() + " -> ")
          + s.targetVersion(), s.phase().kubeName(), s.currentStep() == null ? "" : s.currentStep().conditionPrefix()
          + (s.currentPod() == null ? "" : " " + s.currentPod()), s.pods().isEmpty() ? "" : done + "/" + s.pods().size(),
          took(s));
    }
    return t.toString();
  }

  static String header(RequestStatus s) {
    return s.opsRequest() + "  " + s.phase().kubeName() + "  " + s.database() + "  "
        + (s.fromVersion() == null ? "" : s.fromVersion() + " -> ") + s.targetVersion()
        + (s.attempt() > 1 ? "  attempt " + s.attempt() : "") + (took(s).isEmpty() ? "" : "  " + took(s));
  }

  /** A pod's place in its restart: evicted, running on the new image, verified. */
  static String bar(PodPhase phase) {
    int filled = switch (phase) {
      case WAITING -> 0;
      case EVICTED -> 1;
      case RUNNING -> 2;
      case VERIFIED, UP_TO_DATE -> 3;
    };
    return "[" + "█".repeat(filled * 4) + "░".repeat((3 - filled) * 4) + "]";
  }

  static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }

  private static String took(RequestStatus s) {
    if (s.startedAt() == null) {
      return "";
    }
    return s.finishedAt() == null ? "" : seconds(Duration.between(s.startedAt(), s.finishedAt()));
  }

  private static String mark(RequestStatus s, StepTiming step) {
    if (step.endedAt() == null) {
      return s.phase() == OpsPhase.FAILED ? "✗" : "▸";
    }
    boolean failedHere = s.failure() != null && s.conditions().stream()
        .anyMatch(c -> c.type().equals(step.type()) && "False".equals(c.status()));
    return failedHere ? "✗" : "✔";
  }
}
