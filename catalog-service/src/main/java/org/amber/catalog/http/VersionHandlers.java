package org.amber.catalog.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.amber.catalog.domain.DatasetService;
import org.amber.catalog.domain.VersionService;
import org.amber.catalog.domain.citation.CitationStyle;
import org.amber.catalog.domain.citation.Citations;
import org.amber.catalog.domain.citation.CitedVersion;
import org.amber.catalog.domain.model.CatalogException;
import org.amber.catalog.domain.model.DatasetDefinition;
import org.amber.catalog.domain.model.Version;
import org.amber.catalog.domain.model.VersionKey;

/** {@code …/versions}, {@code …/latest} and {@code /v1/materialise}: builds and their versions. */
final class VersionHandlers {
  private static final Pattern PREFER_WAIT =
      Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,9})");

  /** What a client polling a build is asked to wait between polls, in seconds. */
  private static final String RETRY_AFTER = "2";

  /** The style of {@code …/citation} without {@code ?style=}: the one most tools import. */
  static final CitationStyle DEFAULT_STYLE = CitationStyle.BIBTEX;

  private final VersionService versions;
  private final DatasetService datasets;
  private final Supplier<String> publicUrl;
  private final long maxRequestBytes;
  private final Duration maxWait;

  VersionHandlers(
      VersionService versions,
      DatasetService datasets,
      Supplier<String> publicUrl,
      long maxRequestBytes,
      Duration maxWait) {
    this.versions = versions;
    this.datasets = datasets;
    this.publicUrl = publicUrl;
    this.maxRequestBytes = maxRequestBytes;
    this.maxWait = maxWait;
  }

  void start(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    StartRequest body = RequestReader.read(ctx, maxRequestBytes, true, StartRequest.class);
    answerStarted(ctx, versions.start(name, RequestFields.ttl("ttl", body.ttl())).version());
  }

  void materialise(Context ctx) {
    MaterialiseRequest body =
        RequestReader.read(ctx, maxRequestBytes, false, MaterialiseRequest.class);
    VersionService.Materialised result =
        versions.materialise(
            body.spec(),
            RequestFields.ttl("ttl", body.ttl()),
            RequestFields.ttl("max_staleness", body.maxStaleness()));
    if (result instanceof VersionService.Materialised.Reused) {
      Version v = ((VersionService.Materialised.Reused) result).version();
      ctx.header("Location", VersionResponse.path(v.dataset(), v.number()));
      Json.send(ctx, 303, show(v));
    } else {
      answerStarted(ctx, ((VersionService.Materialised.Started) result).build().version());
    }
  }

  /** 202 with where to look, or — if the client asked to wait and the build ended in time — 201. */
  private void answerStarted(Context ctx, Version started) {
    String location = VersionResponse.path(started.dataset(), started.number());
    ctx.header("Location", location);
    Integer wait = preferWait(ctx);
    if (wait == null || wait == 0) {
      accepted(ctx, started);
      return;
    }
    ctx.future(
        () ->
            versions
                .awaitFinished(started.key(), Duration.ofSeconds(wait))
                .thenAccept(
                    v -> {
                      if (v.status().isFinished()) {
                        ctx.header("Preference-Applied", "wait=" + wait);
                        Json.send(ctx, 201, show(v));
                      } else {
                        accepted(ctx, v);
                      }
                    }));
  }

  private void accepted(Context ctx, Version v) {
    ctx.header("Retry-After", RETRY_AFTER);
    Json.send(ctx, 202, show(v));
  }

  /** The {@code wait} preference in seconds, capped at the server's maximum, or null. */
  private Integer preferWait(Context ctx) {
    String prefer = ctx.header("Prefer");
    if (prefer == null) {
      return null;
    }
    Matcher m = PREFER_WAIT.matcher(prefer);
    return m.find() ? (int) Math.min(Long.parseLong(m.group(1)), maxWait.toSeconds()) : null;
  }

  void list(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    int limit = Paging.limit(ctx);
    String token = Paging.token(ctx);
    Integer before;
    try {
      before = token == null ? null : Integer.valueOf(token);
    } catch (NumberFormatException e) {
      throw HttpProblem.badRequest("invalid 'page_token'");
    }
    List<Version> page = versions.list(name, before, limit + 1);
    DatasetDefinition definition = definitionOrNull(name);
    List<VersionResponse> items =
        page.subList(0, Math.min(limit, page.size())).stream()
            .map(v -> VersionResponse.of(v, definition, versions.manifest(v), publicUrl.get()))
            .toList();
    Json.send(
        ctx,
        200,
        new VersionPage(
            items,
            page.size() > limit
                ? Paging.encode(Integer.toString(page.get(limit - 1).number()))
                : null));
  }

  void get(Context ctx) {
    VersionKey key = key(ctx);
    // Caches must key the answer on Accept: the same URL is JSON or a citation.
    ctx.header("Vary", "Accept");
    if (answeredWithCitation(ctx, key)) {
      return;
    }
    String waitText = ctx.queryParam("wait");
    if (waitText == null) {
      Json.send(ctx, 200, show(versions.get(key)));
      return;
    }
    long wait;
    try {
      wait = Long.parseLong(waitText);
    } catch (NumberFormatException e) {
      wait = -1;
    }
    if (wait < 0) {
      throw HttpProblem.badRequest("'wait' must be a whole number of seconds");
    }
    Version seen = versions.get(key);
    Duration timeout = Duration.ofSeconds(Math.min(wait, maxWait.toSeconds()));
    ctx.future(
        () ->
            versions
                .awaitChange(key, seen.status(), timeout)
                .thenAccept(v -> Json.send(ctx, 200, show(v))));
  }

  /**
   * Content negotiation on the version URL: a citation when the client names its media type with a
   * higher weight than JSON's (wildcards count for JSON only, which wins ties, so {@code *}{@code
   * /*}, {@code application/*} and an Accept naming nothing known all get JSON). A version with no
   * content to cite gets JSON if the client takes it at all, else 409.
   *
   * @return whether a citation was sent
   */
  private boolean answeredWithCitation(Context ctx, VersionKey key) {
    AcceptHeader accept = AcceptHeader.parse(ctx.header("Accept"));
    if (accept.isEmpty()) {
      return false;
    }
    double json = accept.weight(Json.CONTENT_TYPE, true);
    List<CitationStyle> wanted =
        accept.rank(
            List.of(CitationStyle.values()),
            style -> {
              double q = accept.weight(style.mediaType(), false);
              return q > json ? q : 0;
            });
    if (wanted.isEmpty()) {
      return false;
    }
    Version v = versions.get(key);
    if (!CitedVersion.citable(v) && json > 0) {
      return false;
    }
    sendCitation(ctx, v, wanted.get(0));
    return true;
  }

  /** {@code …/citation?style=}: the version's citation in one style. */
  void citation(Context ctx) {
    VersionKey key = key(ctx);
    String name = ctx.queryParam("style");
    CitationStyle style =
        name == null
            ? DEFAULT_STYLE
            : CitationStyle.byKey(name)
                .orElseThrow(
                    () ->
                        HttpProblem.badRequest(
                            "unknown citation style; 'style' is one of "
                                + CitationStyle.keys()
                                + " (default "
                                + DEFAULT_STYLE.key()
                                + ")"));
    sendCitation(ctx, versions.get(key), style);
  }

  /** 409 (from {@link CitedVersion#of}) for a version that has no content to cite. */
  private void sendCitation(Context ctx, Version v, CitationStyle style) {
    CitedVersion cited = CitedVersion.of(v, definitionOrNull(v.dataset()), publicUrl.get());
    // Dataset names are [a-z0-9._-]: the file name needs no quoting beyond the quotes.
    ctx.header(
        "Content-Disposition",
        "inline; filename=\"" + style.fileName(v.dataset(), v.number()) + "\"");
    // Bytes, not a String: Javalin would encode a String in the response's charset, which for a
    // type without a charset parameter (the JSON ones) is not UTF-8.
    ctx.status(200)
        .contentType(style.contentType())
        .result(Citations.render(style, cited).getBytes(StandardCharsets.UTF_8));
  }

  void cancel(Context ctx) {
    Json.send(ctx, 200, show(versions.cancel(key(ctx))));
  }

  void delete(Context ctx) {
    versions.delete(key(ctx));
    ctx.status(204);
  }

  void pin(Context ctx) {
    Json.send(ctx, 200, show(versions.pin(key(ctx), true)));
  }

  void unpin(Context ctx) {
    Json.send(ctx, 200, show(versions.pin(key(ctx), false)));
  }

  void patch(Context ctx) {
    VersionKey key = key(ctx);
    VersionPatch body = RequestReader.read(ctx, maxRequestBytes, false, VersionPatch.class);
    if (!body.expiresAtGiven()) {
      throw new InvalidField("expires_at", "the only field that can change is 'expires_at'");
    }
    Instant expiresAt = RequestFields.time("expires_at", body.expiresAt());
    Json.send(ctx, 200, show(versions.setExpiry(key, expiresAt)));
  }

  /** 302 to the newest completed version, or to the same path below it. */
  void latest(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    Version v = versions.latestCompleted(name);
    String rest = ctx.pathParamMap().getOrDefault("rest", "");
    ctx.header("Cache-Control", "no-store");
    ctx.header(
        "Location", VersionResponse.path(name, v.number()) + (rest.isEmpty() ? "" : "/" + rest));
    ctx.status(302);
  }

  private VersionResponse show(Version v) {
    return VersionResponse.of(
        v, definitionOrNull(v.dataset()), versions.manifest(v), publicUrl.get());
  }

  private DatasetDefinition definitionOrNull(String name) {
    try {
      return datasets.get(name);
    } catch (CatalogException gone) {
      return null;
    }
  }

  static VersionKey key(Context ctx) {
    String name = ctx.pathParam("name");
    DatasetService.requireName(name);
    String version = ctx.pathParam("version");
    try {
      int number = Integer.parseInt(version);
      if (number >= 1) {
        return new VersionKey(name, number);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw HttpProblem.badRequest(
        "the version must be a positive whole number, got '" + version + "'");
  }
}
