package io.oneuihub.sync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per subscriber: lets an event of a run through only if its sequence is above every one let through before,
 * so events that arrive twice (a re-LISTEN re-delivers stored ones, syncProgress also re-reads its run) or
 * late reach the client once and in order. Remembers the most recently active runs only, so memory stays
 * bounded on a subscription that lives for months; re-deliveries reach back a replay window, far fewer runs.
 */
final class NewerOnly {

    private static final int MAX_RUNS = 1024;

    private final Map<String, Integer> highest = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > MAX_RUNS;
        }
    };

    synchronized boolean admit(SyncEvent event) {
        Integer seen = highest.get(event.runId());
        if (seen != null && event.sequence() <= seen) {
            return false;
        }
        highest.put(event.runId(), event.sequence());
        return true;
    }
}
