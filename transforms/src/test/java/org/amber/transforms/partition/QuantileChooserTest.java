package org.amber.transforms.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuantileChooserTest {

  /** Rows per range when the chosen candidates cut keys whose counts below are {@code below}. */
  private static List<Long> sizes(long[] below, long rows, List<Integer> chosen) {
    List<Long> sizes = new ArrayList<>();
    long start = 0;
    for (int i : chosen) {
      long end = i < 0 ? 0 : below[i];
      sizes.add(end - start);
      start = end;
    }
    sizes.add(rows - start);
    return sizes;
  }

  /** Candidates every {@code step} rows of {@code rows} distinct keys. */
  private static long[] uniform(long rows, long step) {
    long[] below = new long[(int) (rows / step) - 1];
    for (int i = 0; i < below.length; i++) {
      below[i] = (i + 1) * step;
    }
    return below;
  }

  @Test
  void distinctKeysGiveEqualRanges() {
    long[] below = uniform(1600, 10);
    assertEquals(
        List.of(400L, 400L, 400L, 400L),
        sizes(below, 1600, QuantileChooser.choose(below, 1600, 4)));
  }

  @Test
  void aHeavyValueAtTheEndTakesOneRangeAndTheOthersShareTheRest() {
    // 40 light units of 10 rows, then one value of 600 rows (the last candidate's unit)
    long[] below = uniform(410, 10);
    assertEquals(
        List.of(130L, 130L, 140L, 600L),
        sizes(below, 1000, QuantileChooser.choose(below, 1000, 4)));
  }

  @Test
  void aHeavyValueInTheMiddleIsARangeOfItsOwn() {
    // 200 rows below the heavy value, 600 of it, 200 above
    List<Long> below = new ArrayList<>();
    for (long b = 10; b <= 200; b += 10) {
      below.add(b);
    }
    for (long b = 800; b < 1000; b += 10) {
      below.add(b);
    }
    long[] array = below.stream().mapToLong(Long::longValue).toArray();
    List<Long> sizes = sizes(array, 1000, QuantileChooser.choose(array, 1000, 4));
    assertEquals(4, sizes.size());
    assertEquals(600L, sizes.get(2), sizes.toString());
    assertEquals(1000L, sizes.stream().mapToLong(Long::longValue).sum());
    sizes.forEach(s -> assertEquals(true, s > 0 && (s == 600 || s <= 200), sizes.toString()));
  }

  @Test
  void tooFewCandidatesLeaveTheLastRangesEmpty() {
    long[] below = {5};
    assertEquals(List.of(0, 0, 0), QuantileChooser.choose(below, 10, 4));
    assertEquals(List.of(-1, -1), QuantileChooser.choose(new long[0], 0, 3));
  }
}
