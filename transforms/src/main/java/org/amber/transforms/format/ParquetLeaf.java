package org.amber.transforms.format;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.amber.transforms.schema.Column;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.schema.PrimitiveType;

/**
 * One leaf column of a Parquet shard: the levels and values of the page being filled, kept as
 * primitives until the page is cut, then encoded in one pass (PLAIN, or PLAIN_DICTIONARY while the
 * column chunk's dictionary pays) and handed to parquet-java's page store, which compresses it and
 * lays out the column chunk. This replaces parquet-java's column writers, whose per-value path
 * (levels, dictionary, statistics and size checks for every value) was the build's largest cost.
 *
 * <p>The dictionary rules are parquet-java's: a column chunk starts dictionary-encoded; it falls
 * back to PLAIN for the rest of the chunk when its first page does not come out smaller than PLAIN
 * (dictionary included) or when the dictionary outgrows {@link #DICTIONARY_BYTES}, and each row
 * group starts a new dictionary. Subclasses hold the values of one physical type.
 */
abstract class ParquetLeaf {
  /** parquet-java's default dictionary page limit. */
  static final int DICTIONARY_BYTES = 1 << 20;

  private static final int INITIAL_SLOTS = 1 << 10;

  private final PrimitiveType type;
  private final String column;
  private final boolean nullable;
  private final int maxDefinition;
  private final int maxRepetition;
  private final int definitionWidth;
  private final int repetitionWidth;
  private final HybridEncoder definitionEncoder;
  private final HybridEncoder repetitionEncoder;
  private final HybridEncoder idEncoder = new HybridEncoder();
  private int[] definitions;
  private int[] repetitions;
  private PageWriter pages;

  /** Levels in the page: one per value, null, empty list or null element. */
  private int slots;

  /** Non-null values in the page. */
  int valueCount;

  private int rows;

  /** The dictionary ids of the page's values, when it is dictionary-encoded. */
  private int[] ids;

  /** The dictionary's size before the page: what an abandoned dictionary keeps. */
  private int dictionaryBefore;

  /** Whether the type has a dictionary (every type but BOOLEAN). */
  private final boolean dictionaryType;

  /** Whether the chunk still encodes with its dictionary; false for types without one. */
  private boolean dictionary;

  /** Whether the chunk has values in a page already: the compression test is the first's. */
  private boolean valuesWritten;

  ParquetLeaf(Column column, ColumnDescriptor descriptor, boolean dictionary) {
    this.type = descriptor.getPrimitiveType();
    this.column = column.name();
    this.nullable = column.nullable();
    this.maxDefinition = descriptor.getMaxDefinitionLevel();
    this.maxRepetition = descriptor.getMaxRepetitionLevel();
    this.definitions = maxDefinition > 0 ? new int[INITIAL_SLOTS] : null;
    this.repetitions = maxRepetition > 0 ? new int[INITIAL_SLOTS] : null;
    this.definitionWidth = BytesUtils.getWidthFromMaxInt(maxDefinition);
    this.repetitionWidth = BytesUtils.getWidthFromMaxInt(maxRepetition);
    this.definitionEncoder = maxDefinition > 0 ? new HybridEncoder() : null;
    this.repetitionEncoder = maxRepetition > 0 ? new HybridEncoder() : null;
    this.dictionaryType = dictionary;
    this.dictionary = dictionary;
  }

  /** Appends one non-null value of this leaf's type to the page. */
  abstract void append(Object value);

  /** The page's values in PLAIN encoding. */
  abstract BytesInput plain();

  /** Bytes of the page's values in PLAIN encoding: to cut pages near their size limit. */
  abstract long plainBytes();

  /**
   * The ids of the page's values in the chunk's dictionary (looked up, and added where new, now or
   * as they were appended), or null if the leaf gave the dictionary up during the page.
   */
  abstract int[] dictionaryIds();

  abstract int dictionarySize();

  abstract long dictionaryBytes();

  /**
   * Ends the chunk's use of its dictionary: the page being written and the rest of the chunk are
   * PLAIN; only the first {@code size} entries, those of the pages written with it, are kept.
   */
  abstract void abandonDictionary(int size);

  /** The dictionary's entries in PLAIN encoding. */
  abstract BytesInput dictionaryPage();

  abstract void clearDictionary();

  /**
   * Adds the page's values (at least one) to the page's statistics.
   *
   * @param ids the values' dictionary ids if the page is dictionary-encoded, else null
   */
  abstract void updateStatistics(Statistics<?> statistics, int[] ids);

  /** Forgets the page's values once it is written. */
  abstract void clearValues();

  /**
   * Appends one top-level value, possibly null. A list column's single leaf ({@code
   * <name>.list.element}: an optional element in a repeated group) counts its definition levels
   * down from the maximum: element present, element null, list empty; a null list is 0. The first
   * element of a row has repetition level 0, the others 1.
   */
  final void add(Object value) {
    rows++;
    if (value == null) {
      if (!nullable) {
        throw new IllegalArgumentException(
            "column '" + column + "' is declared NOT NULL but holds a NULL");
      }
      level(0, 0);
    } else if (maxRepetition == 0) {
      level(0, maxDefinition);
      append(value);
      valueCount++;
    } else {
      List<?> items = (List<?>) value;
      if (items.isEmpty()) {
        level(0, maxDefinition - 2);
        return;
      }
      int repetition = 0;
      for (Object item : items) {
        if (item == null) {
          level(repetition, maxDefinition - 1);
        } else {
          level(repetition, maxDefinition);
          append(item);
          valueCount++;
        }
        repetition = 1;
      }
    }
  }

  private void level(int repetition, int definition) {
    if (definitions != null) {
      if (slots == definitions.length) {
        definitions = Arrays.copyOf(definitions, slots * 2);
      }
      definitions[slots] = definition;
    }
    if (repetitions != null) {
      if (slots == repetitions.length) {
        repetitions = Arrays.copyOf(repetitions, slots * 2);
      }
      repetitions[slots] = repetition;
    }
    slots++;
  }

  /** Starts a row group: pages go to this page writer until {@link #endChunk}. */
  void startChunk(PageWriter pages) {
    this.pages = pages;
  }

  /** Encodes the page, hands it to the page writer and starts the next one. */
  void endPage() throws IOException {
    BytesInput data = dictionary && valueCount > 0 ? dictionaryEncoded() : null;
    Encoding encoding = Encoding.PLAIN_DICTIONARY;
    if (data == null) {
      data = plain();
      encoding = Encoding.PLAIN;
    }
    Statistics<?> statistics = Statistics.createStats(type);
    statistics.incrementNumNulls(slots - valueCount);
    if (valueCount > 0) {
      updateStatistics(statistics, encoding == Encoding.PLAIN ? null : ids);
    }
    pages.writePage(
        BytesInput.concat(
            levels(repetitionEncoder, repetitions, repetitionWidth),
            levels(definitionEncoder, definitions, definitionWidth),
            data),
        slots,
        rows,
        statistics,
        repetitionEncoder == null ? Encoding.BIT_PACKED : Encoding.RLE,
        definitionEncoder == null ? Encoding.BIT_PACKED : Encoding.RLE,
        encoding);
    // The page writer has compressed (copied) the bytes: the encoders' buffers can be reused.
    clearValues();
    slots = 0;
    if (valueCount > 0) {
      valuesWritten = true;
    }
    valueCount = 0;
    rows = 0;
  }

  /**
   * The page's dictionary ids, or null when the chunk falls back to PLAIN from this page on: the
   * dictionary is too large with its values, or (first page) it does not make the page smaller.
   */
  private BytesInput dictionaryEncoded() {
    ids = dictionaryIds();
    if (ids != null && dictionaryBytes() <= DICTIONARY_BYTES) {
      int bitWidth = BytesUtils.getWidthFromMaxInt(dictionarySize() - 1);
      BytesInput encoded = idEncoder.widthPrefixed(ids, valueCount, bitWidth);
      if (valuesWritten || encoded.size() + dictionaryBytes() < plainBytes()) {
        dictionaryBefore = dictionarySize();
        return encoded;
      }
    }
    abandonDictionary(dictionaryBefore);
    dictionary = false;
    return null;
  }

  private BytesInput levels(HybridEncoder encoder, int[] levels, int bitWidth) {
    return encoder == null ? BytesInput.empty() : encoder.lengthPrefixed(levels, slots, bitWidth);
  }

  /** Ends the row group's chunk: its dictionary page, if pages use it; a new dictionary next. */
  void endChunk() throws IOException {
    if (dictionarySize() > 0) {
      pages.writeDictionaryPage(
          new DictionaryPage(dictionaryPage(), dictionarySize(), Encoding.PLAIN_DICTIONARY));
    }
    clearDictionary();
    dictionaryBefore = 0;
    dictionary = dictionaryType;
    valuesWritten = false;
    pages = null;
  }
}
