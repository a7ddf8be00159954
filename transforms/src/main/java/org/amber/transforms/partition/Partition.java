package org.amber.transforms.partition;

import java.io.Serializable;

/**
 * One partition of a plan: shard {@code index} holds the rows matching {@code predicate}, a SQL
 * condition on alias {@code q} such as {@code q."id" >= 100 AND q."id" < 200}.
 */
public record Partition(int index, String predicate) implements Serializable {}
