package org.amber.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.amber.pipelines.testing.AmberProcess;
import org.amber.pipelines.testing.PasswordRole;
import org.amber.transforms.source.SourcePassword;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --source-password-secret} through Google's own Secret Manager client, pointed at a local
 * stand-in of the service ({@code AMBER_SECRET_MANAGER_EMULATOR_HOST}) that answers
 * AccessSecretVersion over gRPC as the service does: the packaged command line builds from a role
 * that can log in only with the secret's password, looked up once per process. (Google's real
 * service, its credentials and IAM are not exercised here.)
 */
class SecretManagerPasswordIT {
  static final String PASSWORD = "Pw-91ac-from-secret-manager";
  static final String SECRET = "projects/amber-test-1/secrets/chem-reader/versions/3";
  static final String SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";
  static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
  static Server standIn;
  static String roleUrl;
  @TempDir Path out;

  @BeforeAll
  static void sourceAndStandIn() throws Exception {
    roleUrl =
        PasswordRole.itemsSource(
            "secret_manager_it", "secret_reader_" + ProcessHandle.current().pid(), PASSWORD);

    MethodDescriptor<AccessSecretVersionRequest, AccessSecretVersionResponse> access =
        MethodDescriptor.<AccessSecretVersionRequest, AccessSecretVersionResponse>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(
                MethodDescriptor.generateFullMethodName(SERVICE, "AccessSecretVersion"))
            .setRequestMarshaller(
                ProtoUtils.marshaller(AccessSecretVersionRequest.getDefaultInstance()))
            .setResponseMarshaller(
                ProtoUtils.marshaller(AccessSecretVersionResponse.getDefaultInstance()))
            .build();
    Map<String, String> secrets = Map.of(SECRET, PASSWORD);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(
                access,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      REQUESTS.add(request.getName());
                      String value = secrets.get(request.getName());
                      if (value == null) {
                        response.onError(
                            Status.NOT_FOUND
                                .withDescription(
                                    "Secret Version [" + request.getName() + "] not found.")
                                .asRuntimeException());
                        return;
                      }
                      response.onNext(
                          AccessSecretVersionResponse.newBuilder()
                              .setName(request.getName())
                              .setPayload(
                                  SecretPayload.newBuilder()
                                      .setData(ByteString.copyFromUtf8(value)))
                              .build());
                      response.onCompleted();
                    }))
            .build();
    standIn =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(service)
            .build()
            .start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    standIn.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private Process materialise(String secret, String name) throws Exception {
    ProcessBuilder builder =
        PasswordRole.itemsBuild(out, roleUrl, name, "--source-password-secret", secret);
    builder
        .environment()
        .put(SourcePassword.SecretManager.EMULATOR_HOST_ENV, "127.0.0.1:" + standIn.getPort());
    Process process = AmberProcess.start(builder);
    assertTrue(process.waitFor(3, TimeUnit.MINUTES), "the build ended");
    return process;
  }

  @Test
  void aBuildReadsWithThePasswordFromSecretManagerLookingItUpOncePerProcess() throws Exception {
    REQUESTS.clear();
    Process build = materialise(SECRET, "ok");
    assertEquals(0, build.exitValue(), Files.readString(out.resolve("ok.err")));
    List<String> lines = Files.readAllLines(out.resolve("ok.out"));
    assertEquals(
        1000, new ObjectMapper().readTree(lines.get(lines.size() - 1)).get("rows").asLong());
    // The launcher and the four readers share one process on the direct runner: one lookup.
    assertEquals(List.of(SECRET), REQUESTS);
  }

  @Test
  void aSecretTheServiceDoesNotHaveFailsTheBuildInOneLine() throws Exception {
    String missing = "projects/amber-test-1/secrets/nope/versions/latest";
    Process build = materialise(missing, "missing");
    assertNotEquals(0, build.exitValue());
    String stderr = Files.readString(out.resolve("missing.err")).strip();
    assertEquals(1, stderr.lines().count(), stderr);
    assertTrue(
        stderr.startsWith(
            "amber: cannot read the source password from Secret Manager (" + missing + "): "),
        stderr);
    assertTrue(stderr.contains("not found"), stderr);
  }
}
