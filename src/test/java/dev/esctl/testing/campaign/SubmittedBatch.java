package dev.esctl.testing.campaign;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;

/**
 * One append a test submitted, and what it was told. Written by the submitting thread only
 * (after the future completed), read afterwards by the checker.
 */
public final class SubmittedBatch {
    private final int number;
    private final int round;
    private final AppendBatch batch;
    private Outcome outcome = Outcome.PENDING;
    private AppendResult result;
    private String reason = "";

    SubmittedBatch(int number, int round, AppendBatch batch) {
        this.number = number;
        this.round = round;
        this.batch = batch;
    }

    public int number() { return number; }
    public int round() { return round; }
    public AppendBatch batch() { return batch; }
    public Outcome outcome() { return outcome; }
    /** The acknowledgement; null unless {@link #outcome()} is ACKNOWLEDGED. */
    public AppendResult result() { return result; }
    /** Why it was refused or unknown: the exception's code and message. */
    public String reason() { return reason; }

    void acknowledged(AppendResult r) {
        this.outcome = Outcome.ACKNOWLEDGED;
        this.result = r;
    }

    void failed(Outcome outcome, String reason) {
        this.outcome = outcome;
        this.reason = reason;
    }

    @Override
    public String toString() {
        return "batch #" + number + " (round " + round + ", " + batch.size() + " events, " + outcome
                + (result != null ? " as seqs " + result.firstSeq() + ".." + result.lastSeq() : "")
                + (reason.isEmpty() ? "" : ": " + reason) + ")";
    }
}
