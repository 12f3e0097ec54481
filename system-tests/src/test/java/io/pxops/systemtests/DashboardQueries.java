package io.pxops.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PromQL queries of the Grafana dashboard ({@code deploy/grafana/pxops-dashboard.json}) and the metric names
 * they use, for checking them against what the services really expose. The tokenizer is small on purpose: a metric
 * name is an identifier that is not a function (followed by {@code (}), not a keyword or an aggregation modifier,
 * and not inside a label matcher ({@code {...}}), a range ({@code [...]}), a grouping list ({@code by (...)}) or a
 * string; {@code $variables} of Grafana and numbers (with a duration's unit) are skipped.
 */
final class DashboardQueries {

  /** The dashboard, from the module's directory (where the tests run). */
  static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "pxops-dashboard.json");

  private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right", "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan",
      // aggregation operators: followed by "(" or by their grouping ("sum by (le) (...)")
      "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
      "quantile", "limitk", "limit_ratio");
  private static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left",
      "group_right");

  private DashboardQueries() {
  }

  /** Every {@code expr} of every panel's targets (rows' nested panels included). */
  static List<String> expressions(Path dashboard) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readString(dashboard));
    List<String> out = new ArrayList<>();
    collect(root.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        if (target.hasNonNull("expr")) {
          out.add(target.get("expr").asText());
        }
      }
      collect(panel.path("panels"), out);
    }
  }

  /** The metric names one PromQL expression reads. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    int i = 0;
    int n = expr.length();
    while (i < n) {
      char c = expr.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        i = skipString(expr, i);
      } else if (c == '{') {
        i = skipTo(expr, i, '}');
      } else if (c == '[') {
        i = skipTo(expr, i, ']');
      } else if (c == '$') {
        i++;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_')) {
          i++;
        }
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
        // a number, maybe with an exponent or a duration's units (5m, 1h30m)
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
          i++;
        }
      } else if (Character.isLetter(c) || c == '_' || c == ':') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
            || expr.charAt(i) == ':')) {
          i++;
        }
        String word = expr.substring(start, i);
        int next = i;
        while (next < n && Character.isWhitespace(expr.charAt(next))) {
          next++;
        }
        boolean call = next < n && expr.charAt(next) == '(';
        if (GROUPING.contains(word) && call) {
          i = skipTo(expr, next, ')'); // label names, not metrics
        } else if (!call && !KEYWORDS.contains(word)) {
          names.add(word);
        }
      } else {
        i++;
      }
    }
    return names;
  }

  /** Every metric name of every query of the dashboard. */
  static Set<String> metricNames(Path dashboard) throws IOException {
    Set<String> names = new TreeSet<>();
    for (String expr : expressions(dashboard)) {
      names.addAll(metricNames(expr));
    }
    return names;
  }

  /** The sample names of a Prometheus text scrape ({@code name{labels} value} or {@code name value} lines). */
  static Set<String> exposedNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int end = 0;
      while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
        end++;
      }
      names.add(line.substring(0, end));
    }
    return names;
  }

  private static int skipString(String s, int i) {
    char quote = s.charAt(i);
    i++;
    while (i < s.length() && s.charAt(i) != quote) {
      i += s.charAt(i) == '\\' && quote != '`' ? 2 : 1;
    }
    return i + 1;
  }

  /** From an opening bracket at {@code i}, past its closing one (strings inside skipped). */
  private static int skipTo(String s, int i, char close) {
    i++;
    while (i < s.length() && s.charAt(i) != close) {
      char c = s.charAt(i);
      i = c == '"' || c == '\'' || c == '`' ? skipString(s, i) : i + 1;
    }
    return i + 1;
  }
}
