package io.oneuihub.sync;

import java.time.Duration;
import java.util.UUID;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationStyle;

/**
 * @param interval    how often both syncs run ("PT15M" or "15m"); blank = no schedule
 * @param lease       a RUNNING run without a heartbeat for this long is ABANDONED; heartbeats every lease/3
 * @param onStartup   run both syncs once when the application is ready
 * @param maxChanges  changes kept in sync_run.changes per run (the counts always cover all of them)
 * @param batchSize   rows per write statement
 * @param instanceId  names this instance in sync_run.instance_id; random per start when blank
 */
@ConfigurationProperties("hub.sync")
public record SyncProperties(String interval, Duration lease, Boolean onStartup, Integer maxChanges, Integer batchSize,
        String instanceId) {

    public SyncProperties {
        lease = lease == null || lease.isZero() || lease.isNegative() ? Duration.ofSeconds(60) : lease;
        onStartup = Boolean.TRUE.equals(onStartup);
        maxChanges = maxChanges == null || maxChanges < 0 ? 2000 : maxChanges;
        batchSize = batchSize == null || batchSize < 1 ? 1000 : batchSize;
        instanceId = instanceId == null || instanceId.isBlank() ? defaultInstanceId() : instanceId.trim();
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

    public Duration heartbeat() {
        return lease.dividedBy(3);
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
