package io.oneuihub.litellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.oneuihub.dev.litellm.LiteLlmSimulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * 10,000 deployments over 40 providers, read page by page. Proves the pages are streamed (the client never
 * holds more than the page being consumed plus the one being fetched) and measures the heap this costs.
 */
class LargeCatalogTest {

    private static final int DEPLOYMENTS = 10_000;
    private static final int PAGE = 500;
    private static String key;
    private static LiteLlmSimulator sim;

    @BeforeAll
    static void start() {
        key = SimulatorSupport.newMasterKey();
        sim = LiteLlmSimulator.start(0, key).generateLargeCatalog(DEPLOYMENTS, 40);
    }

    @AfterAll
    static void stop() {
        sim.stop();
    }

    @Test
    void streamsTenThousandDeploymentsWithBoundedMemory() {
        LiteLlmClient client = SimulatorSupport.client(
                SimulatorSupport.properties(sim, key).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(10)).withPageSize(PAGE));
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = retainedHeap(memory);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong peakRetained = new AtomicLong();
        AtomicInteger pages = new AtomicInteger();
        Set<String> providers = new HashSet<>();

        long count = client.deploymentPages()
                .doOnNext(page -> maxInFlight.accumulateAndGet(inFlight.addAndGet(page.deployments().size()), Math::max))
                .concatMap(page -> Mono.fromCallable(() -> {
                    // what a sync does with a page: look at every row, keep only small derived facts
                    page.deployments().forEach(d -> providers.add(d.provider()));
                    assertThat(page.totalPages()).isEqualTo(DEPLOYMENTS / PAGE);
                    pages.incrementAndGet();
                    peakRetained.accumulateAndGet(retainedHeap(memory) - baseline, Math::max);
                    inFlight.addAndGet(-page.deployments().size());
                    return page.deployments().size();
                }), 1)
                .reduce(0L, Long::sum)
                .block(Duration.ofSeconds(40));

        assertThat(count).isEqualTo(DEPLOYMENTS);
        assertThat(providers).hasSize(40);
        assertThat(pages.get()).isEqualTo(DEPLOYMENTS / PAGE);
        assertThat(maxInFlight.get()).as("deployments held by the stream at once").isLessThanOrEqualTo(2 * PAGE);

        // the same catalog held as one list, for comparison
        long beforeList = retainedHeap(memory);
        List<LiteLlmDeployment> all = client.deployments().collectList().block(Duration.ofSeconds(40));
        long wholeList = retainedHeap(memory) - beforeList;
        assertThat(all).hasSize(DEPLOYMENTS);
        assertThat(all.stream().map(LiteLlmDeployment::id).distinct().count()).isEqualTo(DEPLOYMENTS);
        System.out.printf("10k deployments: streamed in %d pages, max %d deployments in flight, peak retained heap while"
                + " streaming %.1f MB; whole list retained %.1f MB%n", pages.get(), maxInFlight.get(),
                peakRetained.get() / 1048576.0, wholeList / 1048576.0);
        assertThat(peakRetained.get()).as("streaming retains far less than the whole list").isLessThan(wholeList / 2);
    }

    private static long retainedHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
