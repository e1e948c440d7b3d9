package dev.esctl.wire;

import dev.esctl.check.CheckReport;
import dev.esctl.check.Problem;
import dev.esctl.check.StoreChecker;
import dev.esctl.check.TailCut;
import java.util.HexFormat;

/** The JSON form of an fsck {@link CheckReport}, for {@code esctl fsck --json} (cron, monitoring). */
public final class CheckReportJson {
    private CheckReportJson() {}

    public static JsonObject of(CheckReport r) {
        StringBuilder problems = new StringBuilder("[");
        for (Problem p : r.problems()) {
            if (problems.length() > 1) problems.append(',');
            JsonObject o = new JsonObject()
                    .put("severity", p.severity() == Problem.Severity.DAMAGE ? "damage" : "notice")
                    .put("scope", p.scope().name().toLowerCase(java.util.Locale.ROOT))
                    .put("kind", p.kind().code())
                    .put("file", p.file());
            if (p.offset() >= 0) o.put("offset", p.offset()); else o.putRaw("offset", "null");
            if (p.seq() >= 0) o.put("seq", p.seq()); else o.putRaw("seq", "null");
            problems.append(o.put("message", p.message()));
        }
        problems.append(']');
        StringBuilder advice = new StringBuilder("[");
        for (String a : StoreChecker.advice(r)) {
            if (advice.length() > 1) advice.append(',');
            JsonObject.quote(advice, a);
        }
        advice.append(']');
        JsonObject o = new JsonObject()
                .put("dataDir", r.dataDir().toAbsolutePath().toString())
                .put("verdict", r.verdict())
                .put("live", r.live())
                .put("segments", r.segments())
                .put("segmentBytes", r.segmentBytes())
                .put("headSeq", r.headSeq())
                .put("headHash", HexFormat.of().formatHex(r.headHash()))
                .put("indexFiles", r.indexFiles())
                .put("damage", r.damageCount())
                .put("notices", r.noticeCount())
                .put("repairable", r.repairable());
        TailCut cut = r.tailCut();
        if (cut == null) {
            o.putRaw("tailCut", "null");
        } else {
            o.put("tailCut", new JsonObject()
                    .put("segment", cut.segment() == null ? null : "segments/" + cut.segment().getFileName())
                    .put("offset", cut.offset())
                    .put("bytes", cut.bytes())
                    .put("firstCutSeq", cut.firstCutSeq())
                    .put("endsAtSeq", cut.lastSeq())
                    .put("acknowledged", cut.acknowledged()));
        }
        return o.put("seconds", r.nanos() / 1e9)
                .put("mbPerSecond", r.megabytesPerSecond())
                .putRaw("problems", problems.toString())
                .put("problemsListed", r.problems().size())
                .putRaw("advice", advice.toString());
    }
}
