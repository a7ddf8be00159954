package org.amber.catalog.domain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadOnlyQueryTest {
  @Test
  void acceptsSingleSelects() {
    String[] good = {
      "SELECT * FROM items",
      "  select id, name from public.items where price > 3 order by id;  ",
      "WITH cheap AS (SELECT * FROM items WHERE price < 5) SELECT * FROM cheap",
      "SELECT 'DELETE FROM items; DROP TABLE x' AS text_not_code",
      "SELECT \"update\", \"into\" FROM odd_columns",
      "SELECT $$ INSERT INTO t $$ AS dollar_quoted, $tag$;$tag$ AS tagged",
      "SELECT E'it\\'s; DROP' AS escaped",
      "SELECT 1 -- DELETE FROM items\n",
      "SELECT /* nested /* DROP */ comment */ 1",
      "SELECT * FROM items WHERE id = ANY('{1,2}') FOR READ ONLY",
    };
    for (String sql : good) {
      assertDoesNotThrow(() -> ReadOnlyQuery.normalise(sql), sql);
    }
  }

  @Test
  void dropsTheTrailingSemicolonAndComments() {
    assertEquals("SELECT 1", ReadOnlyQuery.normalise("  SELECT 1 ;  -- done\n"));
    assertEquals("SELECT 'a;b' AS x", ReadOnlyQuery.normalise("SELECT 'a;b' AS x /* trailing */"));
    assertEquals("SELECT \"x\"", ReadOnlyQuery.normalise("SELECT \"x\";"));
  }

  @Test
  void refusesEverythingElse() {
    String[][] bad = {
      {"DELETE FROM items", "SELECT"},
      {"SELECT 1; SELECT 2", "single statement"},
      {"SELECT 1;; ", "single statement"},
      {"select * into t2 from items", "'INTO'"},
      {"SELECT * FROM items FOR UPDATE", "'UPDATE'"},
      {"SELECT * FROM items FOR SHARE", "row locks"},
      {"SELECT * FROM items FOR NO KEY UPDATE", "row locks"},
      {"WITH d AS (DELETE FROM items RETURNING *) SELECT * FROM d", "'DELETE'"},
      {"COPY items TO '/tmp/x'", "SELECT"},
      {"SELECT 'unterminated", "unterminated"},
      {"SELECT /* open", "unterminated"},
      {"  -- only a comment", "SELECT"},
      {"TRUNCATE items", "SELECT"},
      // PostgreSQL ends a -- comment at \r: what follows is code, not comment.
      {
        "SELECT 1 AS a --\r) q; COMMIT; INSERT INTO victim VALUES (-1); SELECT 1 --\n",
        "single statement"
      },
      // PostgreSQL reads €$x$ as one identifier, not € before a dollar quote.
      {"SELECT 1 AS €$x$; DELETE FROM victim; SELECT $x$", "single statement"},
      {"SELECT 1 AS a\u2003$x$; DELETE FROM victim; SELECT $x$", "single statement"},
    };
    for (String[] c : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ReadOnlyQuery.normalise(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
    }
  }
}
