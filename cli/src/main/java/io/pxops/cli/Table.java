package io.pxops.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with left-aligned columns, as kubectl prints them. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();

  Table(String... header) {
    rows.add(header);
  }

  Table row(Object... cells) {
    String[] r = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      r[i] = cells[i] == null ? "" : String.valueOf(cells[i]);
    }
    rows.add(r);
    return this;
  }

  @Override
  public String toString() {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] r : rows) {
      for (int i = 0; i < columns && i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = i < r.length ? r[i] : "";
        line.append(cell);
        if (i < columns - 1) {
          line.append(" ".repeat(width[i] - cell.codePointCount(0, cell.length()) + 3));
        }
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
