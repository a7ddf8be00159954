package org.amber.catalog.http;

import java.util.List;

/** A page of {@code GET /v1/datasets}: definitions only, the latest of each is one GET away. */
record DatasetPage(List<DatasetView> datasets, String nextPageToken) {}
