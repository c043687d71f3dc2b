package io.oneuihub.sync;

public record SyncInput(Boolean dryRun) {

    public boolean dry() {
        return Boolean.TRUE.equals(dryRun);
    }
}
