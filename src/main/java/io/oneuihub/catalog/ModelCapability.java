package io.oneuihub.catalog;

public enum ModelCapability {
    VISION,
    FUNCTION_CALLING,
    PARALLEL_FUNCTION_CALLING,
    REASONING,
    WEB_SEARCH,
    PROMPT_CACHING,
    RESPONSE_SCHEMA,
    AUDIO_INPUT,
    AUDIO_OUTPUT,
    PDF_INPUT
}
