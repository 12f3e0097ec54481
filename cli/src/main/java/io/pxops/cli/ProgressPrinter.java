package io.pxops.cli;

import io.pxops.events.status.PodProgress;
import io.pxops.events.status.RequestStatus;
import io.pxops.events.status.StepTiming;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Live progress, as lines: a line when the phase changes, when a step ends (with its duration), and when a pod moves
 * on (with its bar). Only what changed is printed, so it reads the same in a terminal and in a CI log.
 */
final class ProgressPrinter {

  private final PrintWriter out;
  private final Set<String> stepsShown = new HashSet<>();
  private final Map<String, String> podPhases = new HashMap<>();
  private String phase;
  private int attempt;

  ProgressPrinter(PrintWriter out) {
    this.out = out;
  }

  /** Prints what changed since the last status; returns true once the request is terminal. */
  boolean show(RequestStatus s) {
    if (s.attempt() != attempt) {
      stepsShown.clear();
      podPhases.clear();
      attempt = s.attempt();
    }
    if (!s.phase().kubeName().equals(phase)) {
      phase = s.phase().kubeName();
      out.println(StatusView.header(s));
    }
    for (StepTiming step : s.steps()) {
      if (step.endedAt() != null && stepsShown.add(step.type())) {
        boolean failed = s.conditions().stream()
            .anyMatch(c -> c.type().equals(step.type()) && "False".equals(c.status()));
        out.printf("  %s %-34s %8s%s%n", failed ? "✗" : "✔", step.type(), StatusView.seconds(step.duration()),
            step.retries() == 0 ? "" : "  (" + step.retries() + " retries)");
      }
    }
    for (PodProgress p : s.pods()) {
      String now = p.phase().wireName();
      if (!now.equals(podPhases.put(p.pod(), now))) {
        out.printf("    %-20s %s %s%n", p.pod(), StatusView.bar(p.phase()), now);
      }
    }
    if (s.phase().terminal() && s.failure() != null) {
      out.println("  reason: " + s.failure().reason() + ": " + s.failure().message());
    }
    out.flush();
    return s.phase().terminal();
  }

  /** The exit code for a terminal phase. */
  static int exitCode(RequestStatus s) {
    return switch (s.phase()) {
      case SUCCESSFUL -> ExitCodes.OK;
      case SKIPPED -> ExitCodes.SKIPPED;
      default -> ExitCodes.FAILED;
    };
  }
}
