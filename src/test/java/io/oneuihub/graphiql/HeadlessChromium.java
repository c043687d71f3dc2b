package io.oneuihub.graphiql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol on java.net.http's WebSocket: no WebDriver,
 * no Selenium Manager, nothing downloaded. Started with the flags this machine needs (no background networking,
 * a fresh profile) and with every host name resolving to nothing except 127.0.0.1, so a page that reached for
 * the internet would fail even if a test forgot to look.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, Path profile, URI browserEndpoint) {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(browserEndpoint, new Receiver())
                .orTimeout(COMMAND.toSeconds(), TimeUnit.SECONDS)
                .join();
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts Chromium; its output goes to {@code log}. */
    static HeadlessChromium launch(Path log) throws IOException {
        Path profile = Files.createTempDirectory("hub-chromium-");
        List<String> command = List.of(BINARY.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-default-apps", "--no-default-browser-check", "--mute-audio",
                "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--window-size=1400,900",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "about:blank");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectOutput(log.toFile()).start();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyErrors(process, log, endpoint), "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            return new HeadlessChromium(process, profile, endpoint.get(STARTUP.toSeconds(), TimeUnit.SECONDS));
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("Chromium did not open its DevTools endpoint within " + STARTUP
                    + " (its output: " + log + ")", e);
        }
    }

    /** Chromium prints its DevTools address on stderr; the rest of stderr goes to the log. */
    private static void copyErrors(Process process, Path log, CompletableFuture<URI> endpoint) {
        try (BufferedReader errors = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(log.resolveSibling(log.getFileName() + ".stderr"), StandardCharsets.UTF_8)) {
            String line;
            while ((line = errors.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    endpoint.complete(URI.create(m.group(1)));
                }
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited with " + process.waitFor()));
        } catch (IOException | InterruptedException e) {
            endpoint.completeExceptionally(e);
        }
    }

    /** A new tab in a browser context of its own: no storage shared with other tabs. */
    Tab newTab() {
        String context = send(null, "Target.createBrowserContext", Map.of("disposeOnDetach", true))
                .path("browserContextId").asString("");
        String target = send(null, "Target.createTarget", Map.of("url", "about:blank", "browserContextId", context))
                .path("targetId").asString("");
        String session = send(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true))
                .path("sessionId").asString("");
        return new Tab(this, session);
    }

    JsonNode send(String session, String method, Map<String, ?> params) {
        try {
            return sendAsync(session, method, params).get(COMMAND.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Chromium did not answer " + method + " within " + COMMAND, e);
        }
    }

    /** For the receiving thread, which must never wait for an answer itself. */
    CompletableFuture<JsonNode> sendAsync(String session, String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        message.put("method", method);
        message.put("params", params);
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        String text = JSON.writeValueAsString(message);
        synchronized (socket) {
            // WebSocket allows one outstanding send: keep them in order, one at a time
            socket.sendText(text, true).join();
        }
        return answer;
    }

    void onEvent(Consumer<JsonNode> listener) {
        listeners.add(listener);
    }

    @Override
    public void close() {
        try {
            sendAsync(null, "Browser.close", Map.of()).get(5, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the process is ended below either way
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = JSON.readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                    if (answer != null) {
                        if (message.has("error")) {
                            answer.completeExceptionally(new IllegalStateException(message.get("error").toString()));
                        } else {
                            answer.complete(message.path("result"));
                        }
                    }
                } else {
                    listeners.forEach(listener -> listener.accept(message));
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            pending.values().forEach(answer -> answer.completeExceptionally(
                    new IllegalStateException("DevTools connection closed: " + statusCode + " " + reason)));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(answer -> answer.completeExceptionally(error));
        }
    }

    /**
     * One tab, with every request, WebSocket and frame it (or a worker or frame it starts) makes recorded from the
     * moment it exists, before any navigation.
     */
    static final class Tab {

        private final HeadlessChromium browser;
        private final String session;
        private final Map<String, String> sessions = new ConcurrentHashMap<>();
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<String> webSockets = new CopyOnWriteArrayList<>();
        final List<String> framesSent = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<String> attachedTargets = new CopyOnWriteArrayList<>();
        final Map<String, JsonNode> documentHeaders = new ConcurrentHashMap<>();
        /** Requests to a path ending in /graphql: method, headers, postData. */
        final List<JsonNode> graphQlRequests = new CopyOnWriteArrayList<>();

        private Tab(HeadlessChromium browser, String session) {
            this.browser = browser;
            this.session = session;
            sessions.put(session, "page");
            browser.onEvent(this::record);
            watch(session);
            browser.send(session, "Page.enable", Map.of());
            // CSP refusals as console errors, whichever way Chromium itself reports them
            browser.send(session, "Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                    document.addEventListener('securitypolicyviolation',
                      e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"""));
            browser.send(session, "Target.setAutoAttach",
                    Map.of("autoAttach", true, "waitForDebuggerOnStart", true, "flatten", true));
        }

        private void watch(String id) {
            browser.send(id, "Network.enable", Map.of());
            browser.send(id, "Runtime.enable", Map.of());
            browser.send(id, "Log.enable", Map.of());
        }

        private void record(JsonNode event) {
            String id = event.path("sessionId").asString("");
            if (!sessions.containsKey(id)) {
                return;
            }
            JsonNode params = event.path("params");
            switch (event.path("method").asString("")) {
                case "Network.requestWillBeSent" -> {
                    JsonNode request = params.path("request");
                    requests.add(request.path("url").asString(""));
                    if (request.path("url").asString("").endsWith("/graphql")) {
                        graphQlRequests.add(request);
                    }
                }
                case "Network.webSocketCreated" -> webSockets.add(params.path("url").asString(""));
                case "Network.webSocketFrameSent" -> framesSent.add(params.path("response").path("payloadData").asString(""));
                case "Network.responseReceived" -> {
                    if ("Document".equals(params.path("type").asString(""))) {
                        documentHeaders.put(params.path("response").path("url").asString(""),
                                params.path("response").path("headers"));
                    }
                }
                case "Runtime.exceptionThrown" -> problems.add("exception: " + params.path("exceptionDetails"));
                case "Runtime.consoleAPICalled" -> {
                    if ("error".equals(params.path("type").asString("")) || "warning".equals(params.path("type").asString(""))) {
                        problems.add("console." + params.path("type").asString("") + ": " + params.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    JsonNode entry = params.path("entry");
                    if ("error".equals(entry.path("level").asString(""))) {
                        problems.add("log: " + entry.path("text").asString("") + " " + entry.path("url").asString(""));
                    }
                }
                case "Target.attachedToTarget" -> {
                    // a worker or frame: watched like the page, and only then allowed to run
                    String child = params.path("sessionId").asString("");
                    sessions.put(child, params.path("targetInfo").path("type").asString(""));
                    attachedTargets.add(params.path("targetInfo").path("type").asString("") + " "
                            + params.path("targetInfo").path("url").asString(""));
                    for (String method : List.of("Network.enable", "Runtime.enable", "Log.enable",
                            "Runtime.runIfWaitingForDebugger")) {
                        browser.sendAsync(child, method, Map.of());
                    }
                }
                default -> {
                }
            }
        }

        void navigate(String url) {
            JsonNode result = browser.send(session, "Page.navigate", Map.of("url", url));
            if (result.has("errorText")) {
                throw new IllegalStateException("navigation to " + url + " failed: " + result.get("errorText"));
            }
        }

        void reload() {
            browser.send(session, "Page.reload", Map.of());
        }

        /** Runs {@code expression} in the page (awaiting a promise) and returns its JSON value. */
        JsonNode evaluate(String expression) {
            return evaluate(expression, COMMAND);
        }

        JsonNode evaluate(String expression, Duration within) {
            Map<String, Object> params = Map.of("expression", expression, "returnByValue", true, "awaitPromise", true);
            JsonNode result;
            try {
                result = browser.sendAsync(session, "Runtime.evaluate", params).get(within.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("evaluating " + expression + ": " + e, e);
            }
            if (result.has("exceptionDetails")) {
                throw new IllegalStateException("the page threw evaluating " + expression + ": " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        /**
         * Waits, as a user looks at the screen, until {@code condition} (a JavaScript expression) is truthy,
         * re-checked on every change of the page; fails after {@code within} naming what {@code shown} (another
         * expression) showed then.
         */
        JsonNode await(String what, String condition, String shown, Duration within) {
            String script = """
                    new Promise(resolve => {
                      const check = () => { try { return !!(%s); } catch (e) { return false; } };
                      const finish = value => { observer.disconnect(); clearTimeout(timer); resolve(value); };
                      const observer = new MutationObserver(() => { const v = check(); if (v) finish({ok: true, value: v}); });
                      const timer = setTimeout(() => {
                        let seen; try { seen = (%s); } catch (e) { seen = String(e); }
                        finish({ok: false, seen: seen === undefined ? null : seen});
                      }, %d);
                      const now = check();
                      if (now) { finish({ok: true, value: now}); return; }
                      observer.observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
                    })""".formatted(condition, shown, within.toMillis());
            JsonNode outcome = evaluate(script, within.plusSeconds(10));
            if (!outcome.path("ok").asBoolean(false)) {
                throw new AssertionError("within " + within + ", expected " + what + "; the page showed: "
                        + outcome.path("seen") + (problems.isEmpty() ? "" : "; page problems: " + problems));
            }
            return outcome.path("value");
        }

        /** A left click in the middle of the element, as a mouse does it. */
        void click(String selector) {
            JsonNode box = evaluate("""
                    (() => { const e = document.querySelector(%s); if (!e) return null;
                      e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();
                      return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()"""
                    .formatted(JSON.writeValueAsString(selector)));
            if (box.isNull() || box.isMissingNode()) {
                throw new AssertionError("no element " + selector + " to click");
            }
            double x = box.get("x").asDouble();
            double y = box.get("y").asDouble();
            browser.send(session, "Input.dispatchMouseEvent", Map.of("type", "mouseMoved", "x", x, "y", y));
            for (String type : List.of("mousePressed", "mouseReleased")) {
                browser.send(session, "Input.dispatchMouseEvent",
                        Map.of("type", type, "x", x, "y", y, "button", "left", "buttons", 1, "clickCount", 1));
            }
        }

        /** Text typed into whatever has the focus, as an input method commits it. */
        void type(String text) {
            browser.send(session, "Input.insertText", Map.of("text", text));
        }

        /** Ctrl + a letter key, e.g. Ctrl+A. */
        void ctrl(char letter) {
            String key = String.valueOf(Character.toLowerCase(letter));
            String code = "Key" + Character.toUpperCase(letter);
            int keyCode = Character.toUpperCase(letter);
            for (String type : List.of("keyDown", "keyUp")) {
                browser.send(session, "Input.dispatchKeyEvent", Map.of("type", type, "modifiers", 2, "key", key,
                        "code", code, "windowsVirtualKeyCode", keyCode, "nativeVirtualKeyCode", keyCode));
            }
        }

        void screenshot(Path file) {
            try {
                String png = browser.send(session, "Page.captureScreenshot", Map.of("format", "png")).path("data").asString("");
                Files.createDirectories(file.getParent());
                Files.write(file, Base64.getDecoder().decode(png));
            } catch (IOException | RuntimeException e) {
                problems.add("no screenshot: " + e);
            }
        }

        List<String> allUrls() {
            List<String> all = new ArrayList<>(requests);
            all.addAll(webSockets);
            return all;
        }
    }
}
