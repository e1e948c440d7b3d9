package dev.esctl.testing.crashfs;

/**
 * Counts of what crashes and faults did, so that a campaign can show it exercised every fate.
 * Plain fields: each instance is written under one {@link Disk}'s lock, and a campaign adds
 * them up on one thread.
 */
public final class CrashStats {
    public long crashes;
    public long writesKept;
    public long writesDropped;
    public long writesTorn;
    public long writesGarbage;
    public long truncationsKept;
    public long truncationsUndone;
    public long entryChangesKept;
    public long entryChangesUndone;
    public long faultsInjected;
    /** Of those, faults on the log's files (not on the derived index/). */
    public long logFaultsInjected;

    public void add(CrashStats other) {
        crashes += other.crashes;
        writesKept += other.writesKept;
        writesDropped += other.writesDropped;
        writesTorn += other.writesTorn;
        writesGarbage += other.writesGarbage;
        truncationsKept += other.truncationsKept;
        truncationsUndone += other.truncationsUndone;
        entryChangesKept += other.entryChangesKept;
        entryChangesUndone += other.entryChangesUndone;
        faultsInjected += other.faultsInjected;
        logFaultsInjected += other.logFaultsInjected;
    }

    @Override
    public String toString() {
        return "crash images " + crashes
                + "; unforced writes kept " + writesKept + ", dropped " + writesDropped + ", torn " + writesTorn + ", garbage " + writesGarbage
                + "; unforced truncations kept " + truncationsKept + ", undone " + truncationsUndone
                + "; unforced directory changes kept " + entryChangesKept + ", undone " + entryChangesUndone
                + "; faults injected " + faultsInjected;
    }
}
