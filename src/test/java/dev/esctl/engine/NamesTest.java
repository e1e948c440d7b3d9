package dev.esctl.engine;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
    @Test
    void streamNamesWithEmptyOrDotLevelsAreRefusedNamingTheProblem() {
        for (String bad : new String[] {"/", "/a", "a/", "a//b", ".", "..", "a/.", "./a", "a/../b", "a/./b", "x/.."}) {
            BadInputException e = assertThrows(BadInputException.class, () -> Names.checkStream(bad), bad);
            assertEquals("invalid_stream", e.code(), bad);
            assertTrue(e.getMessage().contains("empty level") || e.getMessage().contains("has a level '."), bad + ": " + e.getMessage());
        }
        assertTrue(assertThrows(BadInputException.class, () -> Names.checkStream("a/../b")).getMessage().contains("level '..'"));
    }

    @Test
    void dotsInsideALevelAndDeepNamesAreFine() {
        for (String good : new String[] {"a", "...", ".a", "a.", "a..b", "orders/42", "a/.../b", "é/ü/日本"}) {
            assertArrayEquals(good.getBytes(StandardCharsets.UTF_8), Names.checkStream(good), good);
        }
    }
}
