package dev.esctl.engine;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells waiting watchers that events they may care about were committed — and only those: a
 * watcher of one stream is woken when that stream was written, a watcher of a subtree when a
 * stream in it was, a watcher of everything at every commit. The writer hands over the names of
 * the streams a group touched (only while anyone watches) and returns at once; a notifier
 * thread wakes the watchers. Under load the notifier coalesces groups, and a watcher that is
 * busy reading finds the flag set when it is done: nothing is queued per watcher, nothing is
 * dropped, and the writer never waits on a watcher.
 */
public final class WatchHub implements AutoCloseable {
    private final Set<WatchSignal> everything = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<WatchSignal>> byStream = new ConcurrentHashMap<>();
    private final Map<String, Set<WatchSignal>> bySubtree = new ConcurrentHashMap<>();
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final Thread notifier;
    private volatile boolean anyWatcher;
    private volatile boolean pending;
    private volatile boolean closed;

    WatchHub() {
        notifier = Thread.ofPlatform().name("esctl-watch-notifier").daemon().start(this::run);
    }

    /** True while at least one watcher waits: only then does the writer collect stream names. */
    boolean watched() {
        return anyWatcher;
    }

    /** The writer, after publishing a head: these streams got events. Never blocks. */
    void committed(Collection<String> streams) {
        touched.addAll(streams);
        pending = true;
        LockSupport.unpark(notifier);
    }

    void register(WatchQuery q, WatchSignal signal) {
        if (q.stream() == null) everything.add(signal);
        else (q.recursive() ? bySubtree : byStream).computeIfAbsent(q.stream(), k -> ConcurrentHashMap.newKeySet()).add(signal);
        anyWatcher = true;
    }

    void unregister(WatchQuery q, WatchSignal signal) {
        if (q.stream() == null) everything.remove(signal);
        else {
            Map<String, Set<WatchSignal>> map = q.recursive() ? bySubtree : byStream;
            map.computeIfPresent(q.stream(), (k, set) -> {
                set.remove(signal);
                return set.isEmpty() ? null : set;
            });
        }
        anyWatcher = !everything.isEmpty() || !byStream.isEmpty() || !bySubtree.isEmpty();
    }

    private void run() {
        while (!closed) {
            while (!pending && !closed) LockSupport.park(this);
            pending = false;
            for (WatchSignal s : everything) s.wake();
            if (byStream.isEmpty() && bySubtree.isEmpty()) {
                touched.clear();
                continue;
            }
            for (var it = touched.iterator(); it.hasNext(); ) {
                String stream = it.next();
                it.remove();
                wakeAll(byStream.get(stream));
                if (bySubtree.isEmpty()) continue;
                // orders/42/lines is in the subtrees orders/42/lines, orders/42 and orders.
                for (String prefix = stream; ; ) {
                    wakeAll(bySubtree.get(prefix));
                    int slash = prefix.lastIndexOf('/');
                    if (slash < 0) break;
                    prefix = prefix.substring(0, slash);
                }
            }
        }
    }

    private static void wakeAll(Set<WatchSignal> signals) {
        if (signals != null) for (WatchSignal s : signals) s.wake();
    }

    /** Wakes every watcher (the store is closing) and stops the notifier. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(notifier);
        for (WatchSignal s : everything) s.wake();
        byStream.values().forEach(WatchHub::wakeAll);
        bySubtree.values().forEach(WatchHub::wakeAll);
    }
}
