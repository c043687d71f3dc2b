package io.oneuihub.sync;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;

/**
 * @param interval       how often both syncs run ("PT15M" or "15m"); blank = no schedule
 * @param lease          a RUNNING run without a heartbeat for this long is ABANDONED
 * @param heartbeat      how often a running run renews its lease; default lease/3, always shorter than the lease
 * @param sweepInterval  how often this instance looks for abandoned runs; default the lease
 * @param onStartup      run both syncs once when the application is ready
 * @param maxChanges     changes kept in sync_run.changes per run (the counts always cover all of them)
 * @param batchSize      rows per write statement
 * @param instanceId     names this instance in sync_run.instance_id; random per start when blank
 * @param replayWindow   a new syncEvents subscriber (and every instance after it re-LISTENs) gets the latest
 *                       event of runs that finished this recently, besides those of running runs
 * @param progressPoll   syncProgress re-reads its run this often, so it ends even if every NOTIFY were lost
 * @param listenerCheck  the LISTEN connection answers a {@code SELECT 1} this often, within this long, or is replaced
 * @param writeWhileReading a models sync writes new models while it still reads LiteLLM's later pages (its
 *                       transaction then stays open while it reads); false: it reads everything, then writes
 */
@ConfigurationProperties("hub.sync")
public record SyncProperties(String interval, Duration lease, Duration heartbeat, Duration sweepInterval,
        Boolean onStartup, Integer maxChanges, Integer batchSize, String instanceId, Duration replayWindow,
        Duration progressPoll, Duration listenerCheck, Boolean writeWhileReading) {

    public SyncProperties {
        lease = positive(lease) ? lease : Duration.ofSeconds(60);
        heartbeat = positive(heartbeat) ? heartbeat : lease.dividedBy(3);
        if (heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("hub.sync.heartbeat (" + heartbeat + ") must be shorter than hub.sync.lease (" + lease + ")");
        }
        sweepInterval = positive(sweepInterval) ? sweepInterval : lease;
        onStartup = Boolean.TRUE.equals(onStartup);
        maxChanges = maxChanges == null || maxChanges < 0 ? 2000 : maxChanges;
        batchSize = batchSize == null || batchSize < 1 ? 1000 : batchSize;
        instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId.trim();
        replayWindow = replayWindow == null || replayWindow.isNegative() ? Duration.ofSeconds(30) : replayWindow;
        progressPoll = positive(progressPoll) ? progressPoll : Duration.ofSeconds(2);
        listenerCheck = positive(listenerCheck) ? listenerCheck : Duration.ofSeconds(5);
        writeWhileReading = !Boolean.FALSE.equals(writeWhileReading);
    }

    /** Defaults for everything but the schedule. */
    public static SyncProperties withInterval(String interval) {
        return new SyncProperties(interval, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The schedule, or null when off. */
    public Duration scheduleInterval() {
        if (interval == null || interval.isBlank()) {
            return null;
        }
        Duration parsed = DurationStyle.detectAndParse(interval.trim());
        if (parsed.isZero() || parsed.isNegative()) {
            throw new IllegalArgumentException("hub.sync.interval must be positive: " + interval);
        }
        return parsed;
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
