package io.pxops.events.campaign;

/** How many of the selected databases a stage takes, from those not taken by earlier stages. */
public sealed interface StageSize {

  /**
   * How many databases this size takes.
   *
   * @param selected how many databases the campaign selected in all
   * @param left how many are not yet in an earlier stage
   * @return the number taken, at most {@code left}
   */
  int take(int selected, int left);

  /**
   * A number of databases.
   *
   * @param count how many, at least 1
   */
  record Count(int count) implements StageSize {
    @Override
    public int take(int selected, int left) {
      return Math.min(count, left);
    }
  }

  /**
   * A share of the whole selection, rounded up, so that 10 % of 5 databases is one database, not
   * none.
   *
   * @param percent 1 to 100
   */
  record Percent(int percent) implements StageSize {
    @Override
    public int take(int selected, int left) {
      long n = ((long) selected * percent + 99) / 100;
      return (int) Math.min(n, left);
    }
  }

  /** Every database not taken by an earlier stage; only the last stage may say so. */
  record Rest() implements StageSize {
    @Override
    public int take(int selected, int left) {
      return left;
    }
  }
}
