package dev.esctl.check;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The problems a check has found so far: each is printed as it is found (so a long check shows
 * damage at once), at most {@link #PRINT_PER_KIND} of a kind, and kept for the report, at most
 * {@link #KEEP_MAX} in all; every one is counted. A store damaged everywhere thus costs bounded
 * memory and output. Not thread-safe.
 */
final class Findings {
    static final int PRINT_PER_KIND = 25;
    static final int KEEP_MAX = 1000;

    private final PrintStream out;
    private final List<Problem> kept = new ArrayList<>();
    private final Map<Problem.Kind, Long> perKind = new EnumMap<>(Problem.Kind.class);
    private long damage;
    private long notices;
    private boolean logDamage;
    private boolean indexDamage;

    Findings(PrintStream out) {
        this.out = out;
    }

    void add(Problem p) {
        long n = perKind.merge(p.kind(), 1L, Long::sum);
        if (p.isDamage()) {
            damage++;
            if (p.scope() == Problem.Scope.LOG) logDamage = true;
            if (p.scope() == Problem.Scope.INDEX) indexDamage = true;
        } else {
            notices++;
        }
        if (n <= PRINT_PER_KIND) {
            out.println(p);
        } else if (n == PRINT_PER_KIND + 1) {
            out.println("notice: more problems of kind " + p.kind().code() + " are counted but not printed");
        }
        if (kept.size() < KEEP_MAX) kept.add(p);
    }

    void damage(Problem.Scope scope, Problem.Kind kind, String file, long offset, long seq, String message) {
        add(new Problem(Problem.Severity.DAMAGE, scope, kind, file, offset, seq, message));
    }

    void notice(Problem.Scope scope, Problem.Kind kind, String file, long offset, long seq, String message) {
        add(new Problem(Problem.Severity.NOTICE, scope, kind, file, offset, seq, message));
    }

    List<Problem> kept() { return List.copyOf(kept); }
    long damageCount() { return damage; }
    long noticeCount() { return notices; }
    /** Damage that no repair can undo (scope LOG). */
    boolean logDamage() { return logDamage; }
    boolean indexDamage() { return indexDamage; }
    PrintStream out() { return out; }
}
