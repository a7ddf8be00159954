package org.amber.transforms.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A password written in a source URL is taken out of it; the rest of the URL stays as written. */
class SourcePasswordTest {

  @Test
  void thePasswordParameterIsTakenOutWhereverItStands() {
    assertEquals(
        "jdbc:postgresql://h/db?user=u",
        JdbcSource.withoutPassword("jdbc:postgresql://h/db?password=p&user=u"));
    assertEquals(
        "jdbc:postgresql://h/db?user=u&ssl=true",
        JdbcSource.withoutPassword("jdbc:postgresql://h/db?user=u&password=p&ssl=true"));
    assertEquals(
        "jdbc:postgresql://h/db", JdbcSource.withoutPassword("jdbc:postgresql://h/db?password=p"));
    assertEquals(
        "jdbc:sqlserver://h;user=u",
        JdbcSource.withoutPassword("jdbc:sqlserver://h;user=u;password=p"));
    assertEquals(
        "jdbc:postgresql://h/db?user=u",
        JdbcSource.withoutPassword("jdbc:postgresql://h/db?user=u"));
  }

  @Test
  void aUrlPasswordIsKeptDecodedApartFromTheUrl() {
    JdbcSource source =
        new JdbcSource("jdbc:postgresql://h/db?user=u&password=p%40ss%26w", (String) null, 0);
    assertEquals("jdbc:postgresql://h/db?user=u&password=***", source.redactedUrl());
    assertInstanceOf(SourcePassword.InProcess.class, source.password());
    assertEquals("p@ss&w", source.password().resolve());
    // forBuild keeps the same reference; the redacted URL is not read as a password "***".
    assertEquals(source.password(), source.forBuild("b-1").password());
  }

  @Test
  void theUrlsPasswordWinsOverOneGivenApart() {
    JdbcSource source =
        JdbcSource.of(
            "jdbc:postgresql://h/db?password=fromurl", SourcePassword.environment("X_PASSWORD"), 0);
    assertEquals("fromurl", source.password().resolve());
  }

  @Test
  void referencesNeverShowThePassword() {
    assertSame(SourcePassword.none(), SourcePassword.inProcess(""));
    assertNull(SourcePassword.none().resolve());
    assertEquals("InProcess[***]", SourcePassword.inProcess("hunter2").toString());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SourcePassword.environment("A-B"))
            .getMessage()
            .contains("not an environment variable name"));
  }

  @Test
  void aBadUrlIsReportedWithoutItsPassword() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new JdbcSource("postgresql://h/db?password=hunter2", (String) null, 0));
    assertEquals(
        "--source must be a JDBC URL (jdbc:postgresql://…), got 'postgresql://h/db?password=***'",
        e.getMessage());
  }
}
