package io.oneuihub.catalog;

/** Where a row stands with respect to LiteLLM: present at the last sync, or missing (STALE). */
public enum RecordStatus {
    ACTIVE,
    STALE
}
