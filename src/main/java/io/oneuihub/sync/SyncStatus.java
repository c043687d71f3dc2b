package io.oneuihub.sync;

public enum SyncStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    ABANDONED
}
