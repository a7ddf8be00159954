package org.amber.pipelines.materialise;

import org.amber.artifacts.build.BuildRecord;
import org.amber.transforms.partition.PartitionPlan;
import org.amber.transforms.schema.SourceSchema;
import org.amber.transforms.source.PartitionReader;
import org.amber.transforms.source.SourceRelation;

/**
 * What a build knows about its source before any row is read: the schema and partition plan (read
 * inside the snapshot), the reader the workers use, and the facts the build record keeps.
 */
record PreparedSource(
    SourceRelation relation,
    SourceSchema schema,
    PartitionPlan plan,
    PartitionReader reader,
    BuildRecord.Source source,
    BuildRecord.Snapshot snapshot) {}
