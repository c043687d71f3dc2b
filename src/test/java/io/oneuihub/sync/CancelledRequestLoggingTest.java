package io.oneuihub.sync;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that hang up mid-request, as a load generator's do when it stops: graphql-java then aborts every field
 * still to be fetched. A client going away is not an error of ours: at most one DEBUG line per request, never an
 * ERROR (with a stack trace) per field.
 */
class CancelledRequestLoggingTest extends SyncTestSupport {

    private static final String PAGE = "{\"query\":\"{ models(first: 100) { totalCount nodes { id name description mode free enabled status"
            + " pricing { inputCostPerToken outputCostPerToken inputCostPerMillionTokens } limits { maxTokens maxInputTokens rpm tpm }"
            + " capabilities company { id name slug } deployments { id externalId litellmModel provider editable } } } }\"}";

    @Test
    void clientsThatHangUpMidRequestAreNoErrors() throws Exception {
        sim.seedRealisticCatalog();
        syncModels();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger resolver = (Logger) LoggerFactory.getLogger("io.oneuihub.graphql.HubExceptionResolver");
        Level before = resolver.getLevel();
        List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                events.add(event);
            }
        };
        capture.start();
        root.addAppender(capture);
        resolver.setLevel(Level.DEBUG);
        int requests = 150;
        try {
            byte[] body = PAGE.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /graphql HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + LocalIssuer.adminToken()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < requests; i++) {
                // the client closes the connection at some point while the hub works on the page
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(head);
                    out.write(body);
                    out.flush();
                    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 15));
                }
            }
            // the last ones finish (or are dropped) on the server after their client left: one full request's time
            admin().document(PAGE.substring(10, PAGE.length() - 2).replace("\\\"", "\"")).execute().errors().verify();
            Thread.sleep(Duration.ofMillis(300).toMillis());
            assertThat(events).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).isEmpty();
            long cancelled = events.stream().filter(e -> e.getFormattedMessage().contains("was cancelled by its client")).count();
            assertThat(cancelled).as("at most one line per request").isLessThanOrEqualTo(requests);
            System.out.println("MEASURED cancelled requests logged at DEBUG: " + cancelled + " of " + requests);
        } finally {
            root.detachAppender(capture);
            resolver.setLevel(before);
        }
    }
}
