package io.oneuihub.dev.litellm;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A LiteLLM that is slow exactly when a test wants it: one request is answered from the state it had when it
 * arrived, but only once the test {@link #release releases} it. In between the test can change things (the
 * simulator, the hub's database) and knows the request's answer does not see them: the client is still
 * waiting for it. See {@link LiteLlmSimulator#holdAfter}.
 */
public final class Hold {

    private final String pathPrefix;
    private final int afterRequests;
    private final AtomicInteger seen = new AtomicInteger();
    private final CompletableFuture<Void> reached = new CompletableFuture<>();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    Hold(String pathPrefix, int afterRequests) {
        this.pathPrefix = pathPrefix;
        this.afterRequests = afterRequests;
    }

    /** True for exactly one matching request: number afterRequests + 1. */
    boolean fires(String path) {
        return path.startsWith(pathPrefix) && seen.incrementAndGet() == afterRequests + 1;
    }

    void reached() {
        reached.complete(null);
    }

    CompletableFuture<Void> released() {
        return released;
    }

    /** Waits until the held request has arrived (and its answer is computed). */
    public void awaitHeld(Duration timeout) {
        try {
            reached.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no request to " + pathPrefix + " was held within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the held answer. */
    public void release() {
        released.complete(null);
    }
}
