package io.oneuihub.graphql.cache;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

import io.oneuihub.db.NotificationListener;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The committed catalog version, read from the database for each request that may be served from the cache.
 * <p>
 * Why a read per request, when NOTIFY tells every instance about each bump: a NOTIFY reaches instance B some time
 * after the write committed. A reader who saw the write through instance A and then asks B inside that window would
 * get B's older answer. A version read that <em>started after the request arrived</em> sees every write committed
 * before the request arrived, whichever instance made it, so an entry is served only if nothing was committed since
 * it was labelled. NOTIFY only evicts early, to free memory.
 * <p>
 * Why single-flight: under load one read per request would cost as much as the catalog query. Requests arriving
 * while a read is in flight cannot use it (it may have started before they arrived), so they share the next read,
 * which starts when the current one ends: at most one read in flight and one waiting, whatever the load.
 */
final class CatalogVersion implements NotificationListener.Channel<Long> {

    static final String CHANNEL = "catalog_version";

    private final Mono<Long> read;
    private final LongConsumer onNewer;
    private CompletableFuture<Long> inFlight;
    private CompletableFuture<Long> next;
    private volatile long highest;

    /**
     * @param onNewer called with each version higher than any seen before (from reads or notifications); must not
     *                block
     */
    CatalogVersion(DatabaseClient db, Duration timeout, LongConsumer onNewer) {
        this(db.sql("SELECT version FROM catalog_version")
                .map(row -> row.get(0, Long.class))
                .one()
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("catalog_version has no row")))
                .timeout(timeout), onNewer);
    }

    /** @param read one read of the committed version, started anew on each subscription */
    CatalogVersion(Mono<Long> read, LongConsumer onNewer) {
        this.read = read;
        this.onNewer = onNewer;
    }

    /** The version committed when this Mono is subscribed, or later; an error when it cannot be read. */
    Mono<Long> current() {
        // suppressCancel: a request that goes away must not cancel the read the others wait for
        return Mono.defer(() -> Mono.fromFuture(join(), true));
    }

    private CompletableFuture<Long> join() {
        CompletableFuture<Long> start;
        CompletableFuture<Long> joined;
        synchronized (this) {
            if (next != null) {
                return next;
            }
            if (inFlight != null) {
                next = new CompletableFuture<>();
                return next;
            }
            inFlight = new CompletableFuture<>();
            start = inFlight;
            joined = inFlight;
        }
        start(start);
        return joined;
    }

    private void start(CompletableFuture<Long> future) {
        read.subscribe(version -> done(future, version, null), error -> done(future, null, error));
    }

    private void done(CompletableFuture<Long> future, Long version, Throwable error) {
        CompletableFuture<Long> following;
        synchronized (this) {
            inFlight = next;
            next = null;
            following = inFlight;
        }
        if (following != null) {
            start(following);
        }
        if (error != null) {
            future.completeExceptionally(error);
        } else {
            seen(version);
            future.complete(version);
        }
    }

    private void seen(long version) {
        boolean newer;
        synchronized (this) {
            newer = version > highest;
            if (newer) {
                highest = version;
            }
        }
        if (newer) {
            onNewer.accept(version);
        }
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Long read(String payload) {
        try {
            return Long.valueOf(payload.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public Flux<Long> listened(boolean again) {
        // NOTIFYs missed while no LISTEN was active only cost memory: the next request's read evicts as well
        return Flux.empty();
    }

    @Override
    public void deliver(Long version) {
        seen(version);
    }
}
