package io.oneuihub.sync;

public enum SyncKind {
    MODELS,
    BUDGETS
}
