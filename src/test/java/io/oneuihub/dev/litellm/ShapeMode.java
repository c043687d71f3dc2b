package io.oneuihub.dev.litellm;

/** Which LiteLLM generation the simulator imitates (see API.md §0). */
public enum ShapeMode {
    /** v1.96-era (2026): paginated /v2/model/info, calendar-aligned resets, 400 on duplicate budgets. */
    CURRENT,
    /** 2025 builds: unpaginated /v2/model/info, now+duration resets, plain-text 500 on duplicate budgets. */
    MID
}
