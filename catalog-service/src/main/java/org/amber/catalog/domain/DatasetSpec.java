package org.amber.catalog.domain;

import java.util.List;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Schedule;
import org.amber.catalog.domain.model.Ttl;

/**
 * A dataset definition as a client sent it: its values parsed, but what it reads and the texts not
 * yet checked against the catalog's rules. Null means "not given".
 *
 * @param defaultTtl how long its versions live; null for ever
 */
public record DatasetSpec(
    String source,
    String query,
    String table,
    List<String> formats,
    String partitionColumn,
    Integer partitions,
    Ttl defaultTtl,
    String description,
    List<DatasetDefinition.Creator> creators,
    String license,
    Schedule schedule) {}
