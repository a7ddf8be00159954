package org.amber.transforms.source;

import org.amber.artifacts.build.BuildRecord;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.SourceSchema;

/**
 * What a build knows about its source before any row is read: the schema and partition plan (read
 * inside the snapshot), the reader the workers use, and the facts the build record keeps.
 */
public record PreparedSource(
    SourceRelation relation,
    SourceSchema schema,
    PartitionPlan plan,
    PartitionReader reader,
    BuildRecord.Source source,
    BuildRecord.Snapshot snapshot) {}
