package dev.esctl.testing.campaign;

/** What the caller of an append was told. */
public enum Outcome {
    /** Not yet completed. */
    PENDING,
    /** Success: the batch must be in the log (when the fsync policy makes acknowledgements durable). */
    ACKNOWLEDGED,
    /** Refused before it was written (conflict, writer failed, overloaded, closed): it must never appear. */
    REFUSED,
    /** In flight when the writer failed or the machine stopped: present or absent, but whole. */
    UNKNOWN
}
