package dev.esctl.snapshot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Forces a file every {@link #EVERY_MS} while it is being written, so the disk writes it back
 * while the writer is still reading and hashing, instead of all of it in the final force: for
 * a 2 GB snapshot that final force otherwise waits seconds with the CPU idle. It only starts
 * writeback early; durability still comes from the caller's own final {@code force}, which
 * also reports any failure (a failed intermediate force is left to it).
 *
 * <p>It is stopped by {@link #close()}, never by an interrupt: a thread interrupted inside
 * {@code FileChannel.force} closes the channel, under the writer's feet.
 */
final class BackgroundForcer implements AutoCloseable {
    static final long EVERY_MS = 250;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;

    BackgroundForcer(FileChannel channel) {
        thread = Thread.ofPlatform().daemon().name("esctl-forcer").start(() -> {
            try {
                while (!done.await(EVERY_MS, TimeUnit.MILLISECONDS)) channel.force(false);
            } catch (InterruptedException | IOException e) {
                // The process is going down, or a force failed: the final force decides and reports.
            }
        });
    }

    /** Stops forcing and waits until no force is running. */
    @Override
    public void close() {
        done.countDown();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
