package io.oneuihub.sync;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.oneuihub.litellm.DeploymentPage;
import io.oneuihub.litellm.LiteLlmClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 deployments (5,000 models over 40 providers, 20 pages): correct counts, then a no-op resync that writes
 * nothing. Prints "MEASURED" lines (no timed assertions): the hub's own fetch-and-parse of the same pages in this
 * JVM (LiteLlmClient.deploymentPages() collected, nothing applied), the run's durationMs and its ratio to that, the
 * mutation's answer time, finishedAt to SUCCEEDED visible, rows written and the peak heap during the run.
 */
class LargeSyncTest extends SyncTestSupport {

    private static final int DEPLOYMENTS = 10_000;

    @Autowired
    LiteLlmClient client;

    @Test
    void tenThousandDeploymentsSyncAndResyncWritesNothing() {
        sim.generateLargeCatalog(DEPLOYMENTS, 40);
        // an admin request first, so that the timing below is the mutation's, not the first token's key fetch
        admin().documentName("syncRuns").variable("first", 1).execute().errors().verify();
        double fetchMs = fetchAndParseMedianMs();

        Measured first = measure();
        SyncRun run = first.run();
        assertThat(run.status()).as("run error: %s", run.error()).isEqualTo(SyncStatus.SUCCEEDED);
        long models = count("SELECT count(*) FROM model");
        long companies = count("SELECT count(*) FROM company");
        assertThat(count("SELECT count(*) FROM deployment")).isEqualTo(DEPLOYMENTS);
        assertThat(models).isEqualTo(5_000);
        assertThat(run.counts()).isEqualTo(new SyncCounts((int) (DEPLOYMENTS + models + companies), 0, 0, 0, 0));
        assertThat(run.rowsWritten()).isEqualTo(DEPLOYMENTS + models + companies + count("SELECT count(*) FROM company_provider"));
        assertThat(run.changeCount()).isEqualTo(run.counts().created());
        assertThat(run.changes()).hasSizeLessThanOrEqualTo(2000);

        Map<String, String> versions = rowVersions();
        Measured second = measure();
        assertThat(second.run().status()).as("run error: %s", second.run().error()).isEqualTo(SyncStatus.SUCCEEDED);
        assertThat(second.run().counts()).isEqualTo(new SyncCounts(0, 0, (int) (DEPLOYMENTS + models), 0, 0));
        assertThat(second.run().rowsWritten()).isZero();
        assertThat(rowVersions()).isEqualTo(versions);

        System.out.printf("MEASURED fetch-and-parse (LiteLlmClient.deploymentPages(), warm median of 5): %.0f ms%n", fetchMs);
        first.print("first sync", fetchMs);
        second.print("no-op resync", fetchMs);
    }

    /** LiteLlmClient.deploymentPages() collected, nothing applied: one cold pass, then the median of five warm ones. */
    private double fetchAndParseMedianMs() {
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            long started = System.nanoTime();
            List<DeploymentPage> pages = client.deploymentPages().collectList().block(DEADLINE);
            long nanos = System.nanoTime() - started;
            assertThat(pages.stream().mapToInt(p -> p.deployments().size()).sum()).isEqualTo(DEPLOYMENTS);
            if (i > 0) {
                warm.add(nanos);
            }
        }
        Collections.sort(warm);
        return warm.get(warm.size() / 2) / 1e6;
    }

    private record Measured(SyncRun run, long answeredMs, long visibleAfterFinishedMs, long untilVisibleMs, long baseHeap,
            long peakHeap) {

        void print(String what, double fetchMs) {
            System.out.printf("MEASURED %s: durationMs %d (%.1fx fetch-and-parse), mutation answered in %d ms, SUCCEEDED visible"
                            + " %d ms after finishedAt (%d ms after the request), rows written %d, heap used before %d MiB,"
                            + " peak during the run %d MiB (+%d MiB; sampled every 5 ms, whole test JVM incl. simulator)%n",
                    what, run.durationMs(), run.durationMs() / fetchMs, answeredMs, visibleAfterFinishedMs, untilVisibleMs,
                    run.rowsWritten(), baseHeap >> 20, peakHeap >> 20, (peakHeap - baseHeap) >> 20);
        }
    }

    /** Starts a models sync and polls its status every 5 ms until it is no longer RUNNING, sampling the heap meanwhile. */
    private Measured measure() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long base = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(base);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        String id = startModels(false);
        long answered = System.nanoTime();
        long deadline = started + DEADLINE.toNanos();
        // the status alone, so that reading the stored changes is not part of the wait
        while (runs.status(UUID.fromString(id)).block() == SyncStatus.RUNNING) {
            assertThat(System.nanoTime()).as("run %s still running", id).isLessThan(deadline);
            sleep(5);
        }
        long visibleAt = System.currentTimeMillis();
        long visibleNanos = System.nanoTime();
        sampler.interrupt();
        SyncRun run = runs.findById(UUID.fromString(id)).block();
        long visibleAfterFinished = run.finishedAt() == null ? -1 : visibleAt - run.finishedAt().toInstant().toEpochMilli();
        return new Measured(run, (answered - started) / 1_000_000, visibleAfterFinished, (visibleNanos - started) / 1_000_000,
                base, peak.get());
    }
}
