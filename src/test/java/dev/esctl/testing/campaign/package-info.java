/**
 * Randomized reliability campaigns over the store on a {@link
 * dev.esctl.testing.crashfs.CrashFileSystem}: {@link dev.esctl.testing.campaign.CrashScenario}
 * (crash at a random operation, recover, crash again) and {@link
 * dev.esctl.testing.campaign.FaultScenario} (an injected I/O error, fail-stop, restart), both
 * recording every append and its outcome in a {@link dev.esctl.testing.campaign.History} and
 * checking recovered stores with {@link dev.esctl.testing.campaign.StateChecker}. Every scenario
 * is determined by its seed, up to the writer thread's timing (which decides how appends group);
 * a failure prints the seed and how to replay it. The JUnit entry points are
 * {@code dev.esctl.engine.CrashCampaignTest} and {@code dev.esctl.engine.WriterFailureTest};
 * {@code scripts/crash-campaign N [SEED]} runs a campaign of N crash points.
 */
package dev.esctl.testing.campaign;
