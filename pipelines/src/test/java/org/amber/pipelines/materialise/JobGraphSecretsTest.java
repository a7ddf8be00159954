package org.amber.pipelines.materialise;

import static org.amber.pipelines.testing.Utf8Bytes.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.amber.pipelines.testing.PasswordRole;
import org.amber.testsupport.TestPostgres;
import org.amber.transforms.source.JdbcSource;
import org.amber.transforms.source.SourcePassword;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.common.ReflectHelpers;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.PipelineTranslation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No password in the job graph: the pipeline a build would submit, serialized as a runner sees it
 * (the portable pipeline proto, whose ParDo payloads are the Java-serialized DoFns, and the options
 * that travel with the job), does not contain the source's password — not even when the password
 * was written in the URL.
 */
class JobGraphSecretsTest {
  static final String PASSWORD = "Pw-4f9c1e-graph";
  static String roleUrl;
  @TempDir Path out;

  @BeforeAll
  static void passwordProtectedSource() throws Exception {
    String url = TestPostgres.freshDatabase("job_graph_secrets");
    TestPostgres.execute(
        url,
        "CREATE TABLE compound (id int PRIMARY KEY, name text)",
        "INSERT INTO compound SELECT g, 'c' || g FROM generate_series(1, 500) g");
    roleUrl = PasswordRole.create(url, "graph_reader_" + ProcessHandle.current().pid(), PASSWORD);
  }

  private MaterialiseOptions options(String source, String... more) {
    PipelineOptionsFactory.register(MaterialiseOptions.class);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--source=" + source,
                "--table=compound",
                "--dataset=compound",
                "--partitions=4",
                "--output=" + out.toUri()));
    args.addAll(List.of(more));
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(MaterialiseOptions.class);
  }

  @Test
  void aPasswordInTheUrlIsNowhereInTheSerializedPipelineOrItsOptions() throws Exception {
    MaterialiseOptions options = options(roleUrl + "&password=" + PASSWORD);
    // Planning connects with the password: the launcher did use it.
    Pipeline pipeline = MaterialisePipeline.construct(options);

    byte[] proto = PipelineTranslation.toProto(pipeline).toByteArray();
    assertTrue(
        contains(proto, "password=***"),
        "the readers (and their redacted source URL) are in the serialized graph");
    assertFalse(contains(proto, PASSWORD), "the pipeline proto holds the password");
    // As runners serialize the options into the job (Dataflow's sdkPipelineOptions).
    byte[] serializedOptions =
        new ObjectMapper()
            .registerModules(ObjectMapper.findModules(ReflectHelpers.findClassLoader()))
            .writeValueAsBytes(options);
    assertTrue(contains(serializedOptions, "compound"), "the options are in these bytes");
    assertFalse(contains(serializedOptions, PASSWORD), "the job's options hold the password");
    assertEquals(roleUrl + "&password=***", options.getSource());
  }

  @Test
  void everyDoFnOfTheGraphSerializesWithoutThePassword() throws Exception {
    MaterialiseOptions options = options(roleUrl + "&password=" + PASSWORD, "--snapshot=none");
    RunnerApi.Pipeline proto = PipelineTranslation.toProto(MaterialisePipeline.construct(options));
    // DoFn payloads are compressed: look at each DoFn's own Java serialization instead.
    int withSource = 0;
    int doFns = 0;
    for (RunnerApi.PTransform transform : proto.getComponents().getTransformsMap().values()) {
      if (!transform.getSpec().getUrn().equals(PTransformTranslation.PAR_DO_TRANSFORM_URN)) {
        continue;
      }
      RunnerApi.ParDoPayload payload =
          RunnerApi.ParDoPayload.parseFrom(transform.getSpec().getPayload());
      Object doFn =
          SerializableUtils.deserializeFromByteArray(
              payload.getDoFn().getPayload().toByteArray(), transform.getUniqueName());
      byte[] raw = javaSerialized(doFn);
      doFns++;
      withSource += contains(raw, "password=***") ? 1 : 0;
      assertFalse(contains(raw, PASSWORD), transform.getUniqueName());
    }
    assertTrue(doFns >= 2, "the graph's DoFns were found: " + doFns);
    assertTrue(withSource >= 1, "the export DoFn carries the (redacted) source");
  }

  @Test
  void aSourceWhosePasswordIsAReferenceSerializesTheReferenceOnly() throws Exception {
    String secret = "projects/amber-test-1/secrets/chem-reader/versions/3";
    JdbcSource source = JdbcSource.of(roleUrl, SourcePassword.secretManager(secret), 0);
    byte[] bytes = javaSerialized(source);
    assertTrue(contains(bytes, secret));
    JdbcSource copy = (JdbcSource) javaDeserialized(bytes);
    assertEquals(SourcePassword.secretManager(secret), copy.password());

    JdbcSource fromEnv =
        JdbcSource.of(roleUrl, SourcePassword.environment("AMBER_SOURCE_PASSWORD"), 0);
    JdbcSource envCopy = (JdbcSource) javaDeserialized(javaSerialized(fromEnv));
    assertEquals(SourcePassword.environment("AMBER_SOURCE_PASSWORD"), envCopy.password());
  }

  @Test
  void anInProcessPasswordTravelsAsAHandleThatOnlyThisJvmResolves() throws Exception {
    JdbcSource source = new JdbcSource(roleUrl + "&password=" + PASSWORD, (String) null, 0);
    assertEquals(roleUrl + "&password=***", source.redactedUrl());
    assertInstanceOf(SourcePassword.InProcess.class, source.password());
    byte[] bytes = javaSerialized(source);
    assertFalse(contains(bytes, PASSWORD));
    JdbcSource copy = (JdbcSource) javaDeserialized(bytes);
    assertEquals(PASSWORD, copy.password().resolve());
  }

  @Test
  void secretManagerNamesAreCheckedBeforeAnythingIsRead() {
    for (String good :
        List.of(
            "projects/my-project/secrets/chem-reader/versions/latest",
            "projects/123456789012/secrets/S_1/versions/12")) {
      assertEquals(
          good, ((SourcePassword.SecretManager) SourcePassword.secretManager(good)).versionName());
    }
    for (String bad :
        List.of(
            "projects/my-project/secrets/chem-reader",
            "projects/my-project/secrets/chem-reader/versions/0",
            "my-project/chem-reader",
            "projects/my-project/secrets/a b/versions/1",
            "projects/x/secrets/s/versions/1")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SourcePassword.secretManager(bad));
      assertTrue(e.getMessage().startsWith("--source-password-secret takes projects/"), bad);
    }
  }

  /** Plain Java serialization: unlike Beam's SerializableUtils, not compressed. */
  private static byte[] javaSerialized(Object object) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(object);
    }
    return bytes.toByteArray();
  }

  private static Object javaDeserialized(byte[] bytes) throws Exception {
    try (java.io.ObjectInputStream in =
        new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
