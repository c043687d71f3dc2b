package io.oneuihub.litellm;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where LiteLLM lives and how patiently we talk to it.
 *
 * @param baseUrl         proxy root, including an optional SERVER_ROOT_PATH prefix
 * @param masterKey       sent as a Bearer token; comes from the environment only
 * @param connectTimeout  TCP connect limit
 * @param responseTimeout limit for one attempt, headers and whole body included (a body that trickles
 *                        in slower than this still fails)
 * @param maxRetries      extra attempts for idempotent reads that failed with UNAVAILABLE or TIMEOUT
 * @param retryBackoff    first backoff; doubles per attempt, with jitter
 * @param maxResponseSize larger bodies fail with a PROTOCOL error instead of exhausting the heap
 * @param pageSize        rows asked for per page of paginated reads
 */
@ConfigurationProperties("hub.litellm")
public record LiteLlmProperties(
        String baseUrl,
        String masterKey,
        Duration connectTimeout,
        Duration responseTimeout,
        Integer maxRetries,
        Duration retryBackoff,
        DataSize maxResponseSize,
        Integer pageSize) {

    public LiteLlmProperties {
        baseUrl = baseUrl == null || baseUrl.isBlank() ? "http://localhost:4000" : stripTrailingSlash(baseUrl.trim());
        masterKey = masterKey == null || masterKey.isBlank() ? null : masterKey.trim();
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        responseTimeout = responseTimeout == null ? Duration.ofSeconds(30) : responseTimeout;
        maxRetries = maxRetries == null ? 2 : Math.max(0, maxRetries);
        retryBackoff = retryBackoff == null ? Duration.ofMillis(200) : retryBackoff;
        maxResponseSize = maxResponseSize == null ? DataSize.ofMegabytes(32) : maxResponseSize;
        pageSize = pageSize == null || pageSize < 1 ? 500 : pageSize;
    }

    /** Defaults for everything but the location and the key. */
    public static LiteLlmProperties of(String baseUrl, String masterKey) {
        return new LiteLlmProperties(baseUrl, masterKey, null, null, null, null, null, null);
    }

    public LiteLlmProperties withTimeouts(Duration connect, Duration response) {
        return new LiteLlmProperties(baseUrl, masterKey, connect, response, maxRetries, retryBackoff, maxResponseSize, pageSize);
    }

    public LiteLlmProperties withRetries(int retries, Duration backoff) {
        return new LiteLlmProperties(baseUrl, masterKey, connectTimeout, responseTimeout, retries, backoff, maxResponseSize, pageSize);
    }

    public LiteLlmProperties withMaxResponseSize(DataSize size) {
        return new LiteLlmProperties(baseUrl, masterKey, connectTimeout, responseTimeout, maxRetries, retryBackoff, size, pageSize);
    }

    public LiteLlmProperties withPageSize(int size) {
        return new LiteLlmProperties(baseUrl, masterKey, connectTimeout, responseTimeout, maxRetries, retryBackoff, maxResponseSize, size);
    }

    @Override
    public String toString() {
        // records print every component; the key must never reach a log line
        return "LiteLlmProperties[baseUrl=" + baseUrl + ", masterKey=" + (masterKey == null ? "<unset>" : "[REDACTED]")
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout
                + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff
                + ", maxResponseSize=" + maxResponseSize + ", pageSize=" + pageSize + "]";
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
