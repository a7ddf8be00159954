package org.amber.catalog.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import org.amber.catalog.domain.model.Scope;

/**
 * One endpoint: method, path template, the scope it needs (null for the open operations endpoints)
 * and its handler. The route table is what Javalin serves and what the OpenAPI test compares {@code
 * /openapi.json} against.
 */
record Route(HandlerType method, String path, Scope scope, Handler handler) {}
