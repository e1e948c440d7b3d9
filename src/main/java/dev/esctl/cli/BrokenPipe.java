package dev.esctl.cli;

import java.io.IOException;

/** A reader of our stdout went away (`esctl read | head`): not an error worth a message. */
final class BrokenPipe {
    private BrokenPipe() {}

    static boolean is(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Broken pipe") || m.contains("Stream closed"));
    }
}
