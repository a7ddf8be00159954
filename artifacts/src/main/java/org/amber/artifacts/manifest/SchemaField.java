package org.amber.artifacts.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * One column of a dataset.
 *
 * @param name column name as the source reports it
 * @param type Amber's type, e.g. {@code int64}, {@code decimal(10,2)}, {@code list<string>}
 * @param nullable whether the source allows NULL here
 * @param sourceType the source's own type name, e.g. {@code int8}, {@code _text}
 */
public record SchemaField(
    @JsonProperty("name") String name,
    @JsonProperty("type") String type,
    @JsonProperty("nullable") boolean nullable,
    @JsonProperty("source_type") String sourceType)
    implements Serializable {}
