package org.amber.catalog.http;

import java.util.List;

/** A page of a dataset's versions, newest first. */
record VersionPage(List<VersionResponse> versions, String nextPageToken) {}
