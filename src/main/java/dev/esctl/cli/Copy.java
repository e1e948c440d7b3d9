package dev.esctl.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Copies a server's response to stdout as it arrives (a watch or a large read never sits in memory). */
final class Copy {
    private Copy() {}

    static void toStdout(InputStream in) throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) out.write(buf, 0, n);
        out.flush();
    }
}
