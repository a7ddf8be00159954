package org.amber.catalog.artifact;

import com.google.api.gax.paging.Page;
import com.google.auth.ServiceAccountSigner;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.HttpMethod;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobField;
import com.google.cloud.storage.Storage.BlobGetOption;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.SignUrlOption;
import com.google.cloud.storage.StorageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.amber.artifacts.download.Piece;

/**
 * The artifacts under a Cloud Storage output root ({@code gs://bucket/prefix}). A file that is one
 * whole object is handed out as a V4 signed URL ({@link DirectDownload}); a file made of several
 * objects (a one-file download) is read by range through the service.
 */
public final class GcsArtifactStore extends AbstractArtifactStore {
  /** Longest life Cloud Storage accepts for a V4 signature. */
  public static final Duration MAX_SIGNED_URL_LIFE = Duration.ofDays(7);

  /** Bucket names (Cloud Storage's rules, dotted names included). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

  /** Only the metadata a read needs: a listing of a large address stays small. */
  private static final BlobField[] FIELDS = {BlobField.NAME, BlobField.SIZE, BlobField.GENERATION};

  private final String bucket;
  private final Storage storage;
  private final ServiceAccountSigner signer;
  private final Duration signedUrlLife;

  /**
   * @param rootUri {@code gs://bucket} or {@code gs://bucket/prefix}
   * @param signer the key URLs are signed with (a service account's, or IAM's signBlob for
   *     credentials that hold no key)
   * @param signedUrlLife how long a signed URL works
   */
  public GcsArtifactStore(
      String rootUri, Storage storage, ServiceAccountSigner signer, Duration signedUrlLife) {
    super(rootUri.replaceFirst("/+$", ""));
    this.bucket = bucketOf(rootUri);
    this.storage = storage;
    this.signer = signer;
    if (signedUrlLife.isNegative()
        || signedUrlLife.isZero()
        || signedUrlLife.compareTo(MAX_SIGNED_URL_LIFE) > 0) {
      throw new IllegalArgumentException(
          "a signed URL's life must be positive and at most P7D (Cloud Storage's limit); got "
              + signedUrlLife);
    }
    this.signedUrlLife = signedUrlLife;
  }

  /**
   * The bucket of a {@code gs://} root, checked: the prefix may not have empty, {@code .} or {@code
   * ..} segments, which would make object names no client can address.
   */
  public static String bucketOf(String rootUri) {
    URI uri;
    try {
      uri = new URI(rootUri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("the output root '" + rootUri + "' is not a URI");
    }
    if (!"gs".equals(uri.getScheme())
        || uri.getRawAuthority() == null
        || !BUCKET.matcher(uri.getRawAuthority()).matches()
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "the output root '"
              + rootUri
              + "' is not gs://BUCKET[/PREFIX] (bucket: 3-222 of a-z 0-9 . _ -)");
    }
    String prefix = uri.getRawPath().replaceFirst("^/", "").replaceFirst("/+$", "");
    if (!prefix.isEmpty() && !cleanPath(prefix)) {
      throw new IllegalArgumentException(
          "the output root '" + rootUri + "' has an empty, '.' or '..' folder in its prefix");
    }
    return uri.getRawAuthority();
  }

  /**
   * Fails with one readable line unless the bucket exists and these credentials may list it: what
   * {@code serve} checks before it takes requests.
   */
  public void checkReachable() {
    String prefix = objectName(rootUri() + "/");
    try {
      storage.list(bucket, BlobListOption.prefix(prefix), BlobListOption.pageSize(1));
    } catch (StorageException e) {
      String why =
          switch (e.getCode()) {
            case 404 -> "the bucket does not exist";
            case 401, 403 -> "the credentials may not list it (" + e.getMessage() + ")";
            default -> e.getMessage();
          };
      // One line on the console, whatever the client library's message holds.
      throw new IllegalStateException(
          "cannot use the output root " + rootUri() + ": " + why.replaceAll("\\s+", " ").strip());
    }
  }

  @Override
  Optional<byte[]> read(String uri) {
    try {
      return Optional.of(storage.readAllBytes(BlobId.of(bucket, objectName(uri))));
    } catch (StorageException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<Body> storedFile(String dataset, String address, String relativePath) {
    return object(dataset, address, relativePath)
        .map(blob -> new SignedObject(blob, new GcsObjects(storage, List.of(whole(blob)))));
  }

  @Override
  public Optional<Body> assemble(String dataset, String address, List<Piece> pieces) {
    Set<String> paths = new LinkedHashSet<>();
    pieces.forEach(p -> paths.add(p.path()));
    Map<String, Blob> objects = new HashMap<>();
    if (paths.size() == 1) {
      String path = paths.iterator().next();
      object(dataset, address, path).ifPresent(blob -> objects.put(path, blob));
    } else {
      // One listing, not one request per object: a download may be made of hundreds of shards.
      String dir = objectName(layout(dataset).addressDir(address));
      for (Blob blob :
          storage
              .list(bucket, BlobListOption.prefix(dir), BlobListOption.fields(FIELDS))
              .iterateAll()) {
        objects.put(blob.getName().substring(dir.length()), blob);
      }
    }
    List<GcsObjects.Part> parts = new ArrayList<>();
    for (Piece piece : pieces) {
      Blob blob = cleanPath(piece.path()) ? objects.get(piece.path()) : null;
      if (blob == null) {
        return Optional.empty();
      }
      parts.add(
          new GcsObjects.Part(
              BlobId.of(bucket, blob.getName(), blob.getGeneration()),
              piece.offset(),
              piece.length()));
    }
    GcsObjects body = new GcsObjects(storage, parts);
    if (pieces.size() == 1) {
      Blob only = objects.get(pieces.get(0).path());
      if (parts.get(0).equals(whole(only))) {
        return Optional.of(new SignedObject(only, body));
      }
    }
    return Optional.of(body);
  }

  private Optional<Blob> object(String dataset, String address, String relativePath) {
    if (!cleanPath(relativePath)) {
      return Optional.empty();
    }
    String name = objectName(layout(dataset).addressDir(address)) + relativePath;
    return Optional.ofNullable(storage.get(BlobId.of(bucket, name), BlobGetOption.fields(FIELDS)));
  }

  private GcsObjects.Part whole(Blob blob) {
    return new GcsObjects.Part(
        BlobId.of(bucket, blob.getName(), blob.getGeneration()), 0, blob.getSize());
  }

  @Override
  public void deleteContent(String dataset, String address) {
    storage.delete(BlobId.of(bucket, objectName(layout(dataset).manifest(address))));
    deleteAllUnder(layout(dataset).addressDir(address));
  }

  @Override
  public void deleteStaging(String dataset, String buildId) {
    deleteAllUnder(layout(dataset).stagingDir(buildId));
  }

  private void deleteAllUnder(String dirUri) {
    Page<Blob> page =
        storage.list(
            bucket, BlobListOption.prefix(objectName(dirUri)), BlobListOption.fields(FIELDS));
    for (Blob blob : page.iterateAll()) {
      // Deleted one by one: an object already gone (another instance's sweep) is no failure.
      storage.delete(BlobId.of(bucket, blob.getName()));
    }
  }

  /** The object name of a URI under this root. */
  private String objectName(String uri) {
    String bucketRoot = "gs://" + bucket + "/";
    if (!uri.startsWith(rootUri() + "/") || !uri.startsWith(bucketRoot)) {
      throw new IllegalArgumentException(uri + " is outside the output root " + rootUri());
    }
    return uri.substring(bucketRoot.length());
  }

  /** A relative path whose every segment names something: no way out of its folder. */
  private static boolean cleanPath(String path) {
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** One whole object: served by its bytes when asked, or handed out as a signed URL. */
  private final class SignedObject implements Body, DirectDownload {
    private final Blob blob;
    private final GcsObjects bytes;

    SignedObject(Blob blob, GcsObjects bytes) {
      this.blob = blob;
      this.bytes = bytes;
    }

    @Override
    public long length() {
      return bytes.length();
    }

    @Override
    public void copy(long start, long count, WritableByteChannel out, ByteBuffer buffer)
        throws java.io.IOException {
      bytes.copy(start, count, out, buffer);
    }

    @Override
    public URL signedUrl(String httpMethod, String contentDisposition, String contentType) {
      return storage.signUrl(
          BlobInfo.newBuilder(BlobId.of(bucket, blob.getName())).build(),
          signedUrlLife.toSeconds(),
          TimeUnit.SECONDS,
          SignUrlOption.withV4Signature(),
          SignUrlOption.signWith(signer),
          SignUrlOption.httpMethod(HttpMethod.valueOf(httpMethod)),
          SignUrlOption.withQueryParams(
              Map.of(
                  "response-content-disposition", contentDisposition,
                  "response-content-type", contentType)));
    }
  }
}
