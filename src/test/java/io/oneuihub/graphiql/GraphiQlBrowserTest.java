package io.oneuihub.graphiql;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.dev.LocalIssuer;
import io.oneuihub.security.SecuredApplicationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * /graphiql in a real headless Chromium (Debian's), as a person uses it: the page, GraphiQL, React and graphql-ws
 * all come from the hub (every request the tab makes is recorded, and Chromium resolves no host name but
 * 127.0.0.1), the token typed into the token bar reaches the hub over HTTP and in graphql-ws's connection_init,
 * and what the hub answers shows in GraphiQL's result pane.
 *
 * <p>Skipped when /usr/bin/chromium is missing (a fresh developer machine), unless HUB_REQUIRE_BROWSER=true,
 * as .ci/run sets after installing Chromium: then a missing browser fails the test.
 */
@SecuredApplicationTest
@ExtendWith(GraphiQlBrowserTest.BrowserInstalled.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GraphiQlBrowserTest extends GraphQlTestSupport {

    private static final Duration SHOWN_WITHIN = Duration.ofSeconds(30);
    private static final Path OUT = Path.of("target", "graphiql-browser");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String BUDGETS = "{ budgets(first: 1) { totalCount } }";
    private static final String PROBE = "subscription { securityProbe(ticks: 3, intervalMs: 200) }";

    /** The text of an editor's lines as shown, without the line-number gutter. */
    private static final String RESULT_TEXT = lines(".result-window");
    private static final String EDITOR_TEXT = lines(".graphiql-query-editor");
    private static final String STATUS_TEXT = "(document.getElementById('hub-token-status')?.textContent ?? '')";
    private static final String EXECUTE = ".graphiql-execute-button";

    private HeadlessChromium chromium;
    private HeadlessChromium.Tab tab;
    private String hub;

    /** Skips the class before the application starts when there is no browser and none is required. */
    static class BrowserInstalled implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (HeadlessChromium.installed() || required()) {
                return ConditionEvaluationResult.enabled("Chromium at " + HeadlessChromium.BINARY);
            }
            String reason = HeadlessChromium.BINARY + " is missing, so the GraphiQL browser test is skipped: "
                    + "apt-get install chromium (as .ci/run does) to run it";
            System.err.println("GraphiQlBrowserTest: " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    static boolean required() {
        return "true".equalsIgnoreCase(System.getenv("HUB_REQUIRE_BROWSER"));
    }

    @BeforeAll
    void startBrowser() throws IOException {
        if (!HeadlessChromium.installed()) {
            fail("HUB_REQUIRE_BROWSER=true but " + HeadlessChromium.BINARY + " is missing (apt-get install chromium)");
        }
        seedDevCatalog();
        hub = "http://127.0.0.1:" + port;
        chromium = HeadlessChromium.launch(OUT.resolve("chromium.log"));
    }

    @AfterAll
    void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void openTab() {
        tab = chromium.newTab();
    }

    @AfterEach
    void keepScreenshot(TestInfo test) {
        if (tab != null) {
            tab.screenshot(OUT.resolve(test.getTestMethod().orElseThrow().getName() + ".png"));
        }
    }

    @Test
    void thePageLoadsEveryFileFromTheHubAndNothingElse() {
        tab.navigate(hub + "/graphiql");
        awaitGraphiQl();
        tab.click("button[aria-label='Show Documentation Explorer']");
        tab.await("the documentation explorer listing the schema's root types (introspection worked)",
                "document.querySelector('.graphiql-doc-explorer-content')?.innerText.includes('Subscription')",
                "document.querySelector('.graphiql-plugin')?.innerText ?? document.body.innerText", SHOWN_WITHIN);

        List<String> urls = tab.allUrls();
        assertThat(urls).as("every request and WebSocket of the tab").allSatisfy(url ->
                assertThat(url).as("a request outside the hub").matches(
                        "(" + Pattern.quote(hub + "/") + "|data:).*"));
        // the recording itself works: the page, its own files and each WebJar file were seen
        assertThat(urls).contains(hub + "/graphiql", hub + "/graphiql/app.js", hub + "/graphiql/app.css", hub + "/graphql");
        for (String vendor : List.of("/react/", "/react-dom/", "/graphql-ws/", "/graphiql/")) {
            assertThat(urls).as("a file of the %s WebJar", vendor)
                    .anyMatch(url -> url.startsWith(hub + "/graphiql/vendor" + vendor));
        }
        assertThat(tab.attachedTargets).as("workers or frames started by the page").isEmpty();
        assertThat(header(tab.documentHeaders.get(hub + "/graphiql"), "Content-Security-Policy"))
                .contains("script-src 'self'", "connect-src 'self'");
        assertThat(tab.problems).as("script errors, console errors and CSP refusals").isEmpty();
    }

    @Test
    void aQueryRunsWithTheTokenTypedIntoTheTokenField() {
        int budgets = admin().document(BUDGETS).execute().path("budgets.totalCount").entity(Integer.class).get();
        assertThat(budgets).as("budgets of the dev catalog").isPositive();
        String token = LocalIssuer.adminToken();

        tab.navigate(hub + "/graphiql");
        awaitGraphiQl();
        applyToken(token, "Token applied: admin@example.com");
        setQuery(BUDGETS);
        tab.click(EXECUTE);
        awaitResult("the admin's budget count", "\"totalCount\":" + budgets);

        assertThat(authorizationOf(lastRequestWith("budgets"))).isEqualTo("Bearer " + token);
        assertThat(tab.evaluate("location.href").asString("")).as("the page's URL").isEqualTo(hub + "/graphiql");

        // the tab remembers the token across a reload, and GraphiQL its query
        tab.reload();
        awaitGraphiQl();
        tab.await("the token bar still holding the admin's token", STATUS_TEXT + ".startsWith('Token applied: admin@example.com')",
                STATUS_TEXT, SHOWN_WITHIN);
        tab.await("the query restored in the editor", squeezed(EDITOR_TEXT) + ".includes('budgets(first:1)')",
                EDITOR_TEXT, SHOWN_WITHIN);
        int before = tab.graphQlRequests.size();
        tab.click(EXECUTE);
        awaitResult("the admin's budget count after the reload", "\"totalCount\":" + budgets);
        assertThat(authorizationOf(lastRequestWith("budgets"))).isEqualTo("Bearer " + token);
        assertThat(tab.graphQlRequests.size()).isGreaterThan(before);
        assertThat(tab.problems).as("script errors, console errors and CSP refusals").isEmpty();
    }

    @Test
    void aSubscriptionShowsItsEventsOverGraphqlWsWithTheTokenInConnectionInit() {
        tab.navigate(hub + "/graphiql");
        awaitGraphiQl();
        setQuery(PROBE);

        // no token: the hub closes the socket at connection_init (4401), and GraphiQL says so
        tab.click(EXECUTE);
        awaitResult("the hub refusing the anonymous socket", "4401");
        awaitIdle();

        String token = LocalIssuer.adminToken();
        applyToken(token, "Token applied: admin@example.com");
        tab.evaluate("""
                (() => { window.hubSeen = []; const pane = document.querySelector('.result-window');
                  new MutationObserver(() => { const t = %s.replace(/\\s+/g, '');
                    if (window.hubSeen[window.hubSeen.length - 1] !== t) window.hubSeen.push(t); })
                  .observe(pane, {subtree: true, childList: true, characterData: true}); return true; })()"""
                .formatted(RESULT_TEXT));
        tab.click(EXECUTE);
        awaitResult("the subscription's last event", "\"securityProbe\":2");
        awaitIdle();

        List<Integer> ticks = new ArrayList<>();
        for (JsonNode shown : tab.evaluate("window.hubSeen")) {
            Matcher tick = Pattern.compile("\"securityProbe\":(\\d+)").matcher(shown.asString(""));
            if (tick.find() && (ticks.isEmpty() || ticks.get(ticks.size() - 1) != Integer.parseInt(tick.group(1)))) {
                ticks.add(Integer.parseInt(tick.group(1)));
            }
        }
        assertThat(ticks).as("the events the result pane showed, one after another").containsExactly(0, 1, 2);

        String socket = "ws://127.0.0.1:" + port + "/graphql";
        assertThat(tab.webSockets).as("graphql-ws sockets: the refused one, then the admin's").containsExactly(socket, socket);
        List<JsonNode> inits = tab.framesSent.stream().map(JSON::readTree)
                .filter(frame -> "connection_init".equals(frame.path("type").asString(""))).toList();
        assertThat(inits).hasSize(2);
        assertThat(inits.get(0).path("payload").has("Authorization")).as("the anonymous connection_init").isFalse();
        assertThat(inits.get(1).path("payload").path("Authorization").asString(""))
                .as("the connection_init after the token was applied").isEqualTo("Bearer " + token);
        assertThat(tab.allUrls()).allSatisfy(url -> assertThat(url).matches("(" + Pattern.quote(hub + "/") + "|"
                + Pattern.quote(socket) + "|data:).*"));
    }

    @Test
    void withoutATokenAnAdminQueryShowsUnauthorized() {
        tab.navigate(hub + "/graphiql");
        awaitGraphiQl();
        tab.await("the token bar saying no token is used", STATUS_TEXT + " === 'No token: anonymous'", STATUS_TEXT, SHOWN_WITHIN);
        setQuery(BUDGETS);
        tab.click(EXECUTE);
        awaitResult("the UNAUTHORIZED error", "\"classification\":\"UNAUTHORIZED\"");
        assertThat(authorizationOf(lastRequestWith("budgets"))).as("the Authorization header").isNull();
        assertThat(tab.evaluate(squeezed(RESULT_TEXT)).asString("")).doesNotContain("\"totalCount\"");
    }

    private void awaitGraphiQl() {
        tab.await("GraphiQL's query editor and run button",
                "document.querySelector('" + EXECUTE + "') && document.querySelector('.graphiql-query-editor .CodeMirror')",
                "document.body.innerText.slice(0, 400)", SHOWN_WITHIN);
    }

    private void applyToken(String token, String status) {
        tab.click("#hub-token");
        tab.ctrl('a');
        tab.type(token);
        tab.click("#hub-token-apply");
        tab.await("the token bar confirming the token", STATUS_TEXT + ".startsWith(" + js(status) + ")", STATUS_TEXT, SHOWN_WITHIN);
    }

    /** Replaces the editor's text, as a user selecting everything and typing does. */
    private void setQuery(String query) {
        tab.click(".graphiql-query-editor .CodeMirror");
        tab.ctrl('a');
        tab.type(query);
        tab.await("the query in the editor", squeezed(EDITOR_TEXT) + " === " + js(query.replaceAll("\\s+", "")),
                EDITOR_TEXT, SHOWN_WITHIN);
    }

    private void awaitResult(String what, String compactJson) {
        tab.await(what + " in the result pane", squeezed(RESULT_TEXT) + ".includes(" + js(compactJson) + ")",
                RESULT_TEXT, SHOWN_WITHIN);
    }

    /** The run button is back: the operation (a subscription too) is over. */
    private void awaitIdle() {
        tab.await("the run button ready again", "document.querySelector('" + EXECUTE
                + "')?.getAttribute('aria-label')?.startsWith('Execute')",
                "document.querySelector('" + EXECUTE + "')?.getAttribute('aria-label')", SHOWN_WITHIN);
    }

    private JsonNode lastRequestWith(String text) {
        List<JsonNode> matching = tab.graphQlRequests.stream()
                .filter(request -> request.path("postData").asString("").contains(text)).toList();
        assertThat(matching).as("POST /graphql requests carrying %s", text).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    private static String authorizationOf(JsonNode request) {
        return header(request.path("headers"), "Authorization");
    }

    private static String header(JsonNode headers, String name) {
        assertThat(headers).as("headers").isNotNull();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue().asString("");
            }
        }
        return null;
    }

    private static String lines(String editor) {
        return "Array.from(document.querySelectorAll('" + editor + " .CodeMirror-line')).map(line => line.innerText).join('\\n')";
    }

    private static String squeezed(String expression) {
        return expression + ".replace(/\\s+/g, '')";
    }

    private static String js(String value) {
        return JSON.writeValueAsString(value);
    }
}
