package io.oneuihub.sync;

/** Why a run failed: a LiteLLM failure category, ABANDONED or INTERNAL, and a message safe to show. */
public record SyncError(String code, String message) {
}
