package io.oneuihub.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.util.context.ContextView;

/**
 * Work that a request starts but that need not run before its answer: it runs once the HTTP response has been
 * written (or the client has gone), so on a small machine it does not take the CPU from the answer that names it.
 * Outside an HTTP request (graphql-ws, schedules, start-up) there is nothing to wait for and the work runs at once.
 */
public final class AfterResponse {

    private static final Logger log = LoggerFactory.getLogger(AfterResponse.class);

    private final List<Runnable> tasks = new ArrayList<>(1);
    private boolean done;

    AfterResponse() {
    }

    /** Where to hand work off in the given Reactor context: after the response of its request, else at once. */
    public static Executor executor(ContextView context) {
        return context.<AfterResponse>getOrEmpty(AfterResponse.class).<Executor>map(hooks -> hooks::add)
                .orElse(Runnable::run);
    }

    private void add(Runnable task) {
        synchronized (this) {
            if (!done) {
                tasks.add(task);
                return;
            }
        }
        task.run();
    }

    /** Runs what was added, each on its own (one failing does not keep the others from running). */
    void responseWritten() {
        List<Runnable> due;
        synchronized (this) {
            done = true;
            if (tasks.isEmpty()) {
                return;
            }
            due = List.copyOf(tasks);
            tasks.clear();
        }
        for (Runnable task : due) {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Work started by a request could not be run after its response", e);
            }
        }
    }
}
