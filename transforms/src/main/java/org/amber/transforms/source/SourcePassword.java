package org.amber.transforms.source;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Where a source's password comes from. Only the reference travels with a {@link JdbcSource} (into
 * the job graph, to workers); the password itself is looked up where a connection is made — on the
 * launcher for planning, on each worker for its partitions — so no serialized pipeline holds it.
 */
public sealed interface SourcePassword extends Serializable {

  /** The password, or null for none. Called only where a connection is about to be made. */
  String resolve();

  /** No password (trust, peer or certificate authentication). */
  static SourcePassword none() {
    return None.INSTANCE;
  }

  /** The value of an environment variable of the process that connects; unset means none. */
  static SourcePassword environment(String variable) {
    return new Environment(variable);
  }

  /**
   * A Google Secret Manager secret version, {@code projects/P/secrets/S/versions/V}.
   *
   * @throws IllegalArgumentException when the name is not of that form
   */
  static SourcePassword secretManager(String versionName) {
    return new SecretManager(versionName);
  }

  /**
   * A password this JVM was given (the catalog's configured password, one in a JDBC URL). It stays
   * in this JVM: a copy serialized for another JVM carries only a random handle and cannot connect
   * there, which is why a remote runner needs {@link #secretManager} or {@link #environment}.
   */
  static SourcePassword inProcess(String password) {
    return password == null || password.isEmpty() ? none() : InProcess.of(password);
  }

  /** See {@link #none()}. */
  final class None implements SourcePassword {
    private static final long serialVersionUID = 1L;
    private static final None INSTANCE = new None();

    private None() {}

    @Override
    public String resolve() {
      return null;
    }

    private Object readResolve() throws ObjectStreamException {
      return INSTANCE;
    }
  }

  /** See {@link #environment(String)}. */
  record Environment(String variable) implements SourcePassword {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Environment {
      if (variable == null || !NAME.matcher(variable).matches()) {
        throw new IllegalArgumentException("not an environment variable name: '" + variable + "'");
      }
    }

    @Override
    public String resolve() {
      String value = System.getenv(variable);
      return value == null || value.isEmpty() ? null : value;
    }
  }

  /** See {@link #secretManager(String)}. */
  record SecretManager(String versionName) implements SourcePassword {
    /** The resource name Secret Manager gives a secret version; V is a number or "latest". */
    public static final Pattern VERSION_NAME =
        Pattern.compile(
            "projects/([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,19})/secrets/[A-Za-z0-9_-]{1,255}"
                + "/versions/([1-9][0-9]*|latest)");

    /** A local Secret Manager stand-in (host:port) to use instead of Google's service. */
    public static final String EMULATOR_HOST_ENV = "AMBER_SECRET_MANAGER_EMULATOR_HOST";

    /** One lookup per secret version and JVM, not one per connection. */
    private static final Map<String, String> FETCHED = new ConcurrentHashMap<>();

    public SecretManager {
      if (versionName == null || !VERSION_NAME.matcher(versionName).matches()) {
        throw new IllegalArgumentException(
            "--source-password-secret takes projects/PROJECT/secrets/NAME/versions/VERSION"
                + " (VERSION a number or latest), got '"
                + versionName
                + "'");
      }
    }

    @Override
    public String resolve() {
      return FETCHED.computeIfAbsent(versionName, SecretManager::fetch);
    }

    private static String fetch(String versionName) {
      try (SecretManagerServiceClient client = SecretManagerServiceClient.create(settings())) {
        return client.accessSecretVersion(versionName).getPayload().getData().toStringUtf8();
      } catch (IOException | RuntimeException | LinkageError e) {
        throw new IllegalStateException(
            "cannot read the source password from Secret Manager ("
                + versionName
                + "): "
                + rootMessage(e),
            e);
      }
    }

    /**
     * Google's client defaults (Application Default Credentials, the global endpoint), or, when
     * {@value #EMULATOR_HOST_ENV} names a host:port, a plaintext connection without credentials to
     * a local stand-in, as Google's emulators are reached.
     */
    private static SecretManagerServiceSettings settings() throws IOException {
      String emulator = System.getenv(EMULATOR_HOST_ENV);
      if (emulator == null || emulator.isBlank()) {
        return SecretManagerServiceSettings.newBuilder().build();
      }
      return SecretManagerServiceSettings.newBuilder()
          .setCredentialsProvider(NoCredentialsProvider.create())
          .setTransportChannelProvider(
              InstantiatingGrpcChannelProvider.newBuilder()
                  .setEndpoint(emulator)
                  .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                  .build())
          .build();
    }

    private static String rootMessage(Throwable e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root.getMessage() == null ? root.getClass().getName() : root.getMessage();
    }
  }

  /** See {@link #inProcess(String)}. */
  final class InProcess implements SourcePassword {
    private static final long serialVersionUID = 1L;

    /** Handle → password, and back so that one password always gets one handle (bounded). */
    private static final Map<String, String> BY_HANDLE = new ConcurrentHashMap<>();

    private static final Map<String, String> HANDLES = new ConcurrentHashMap<>();

    private final String handle;

    private InProcess(String handle) {
      this.handle = handle;
    }

    static InProcess of(String password) {
      String handle =
          HANDLES.computeIfAbsent(
              password,
              p -> {
                String h = UUID.randomUUID().toString();
                BY_HANDLE.put(h, p);
                return h;
              });
      return new InProcess(handle);
    }

    @Override
    public String resolve() {
      String password = BY_HANDLE.get(handle);
      if (password == null) {
        throw new IllegalStateException(
            "the source password was given to the process that launched this job (in the URL"
                + " or to the catalog) and does not travel with it; on a runner with remote"
                + " workers give --source-password-secret, or set AMBER_SOURCE_PASSWORD in the"
                + " workers' environment");
      }
      return password;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof InProcess that && handle.equals(that.handle);
    }

    @Override
    public int hashCode() {
      return handle.hashCode();
    }

    @Override
    public String toString() {
      return "InProcess[***]";
    }
  }
}
