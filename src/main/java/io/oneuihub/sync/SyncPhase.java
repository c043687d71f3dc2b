package io.oneuihub.sync;

public enum SyncPhase {
    STARTED,
    FETCHING,
    APPLYING,
    COMPLETED,
    FAILED;

    public boolean terminal() {
        return this == COMPLETED || this == FAILED;
    }
}
