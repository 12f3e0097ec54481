package io.pxops.events.campaign;

/**
 * How many failed member updates a campaign tolerates. When more fail than allowed, the campaign
 * starts no further update (the ones running finish) and ends {@code BudgetExhausted}.
 */
public sealed interface FailureBudget {

  /**
   * The number of failures tolerated.
   *
   * @param members how many databases the campaign updates
   * @return the failures allowed; one more exhausts the budget
   */
  int allowedFailures(int members);

  /**
   * A number of failures.
   *
   * @param count failures tolerated, 0 or more (0: the first failure stops the campaign)
   */
  record Count(int count) implements FailureBudget {
    @Override
    public int allowedFailures(int members) {
      return count;
    }
  }

  /**
   * A share of the members, rounded down, so that 10 % of 5 databases tolerates none: a budget
   * errs on the side of stopping.
   *
   * @param percent 0 to 100
   */
  record Percent(int percent) implements FailureBudget {
    @Override
    public int allowedFailures(int members) {
      return (int) ((long) members * percent / 100);
    }
  }
}
