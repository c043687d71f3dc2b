package io.oneuihub.graphiql;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.security.SecuredApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the GraphiQL page is made of, over plain HTTP, also where no browser is installed: every file the page names
 * is served by the hub, anonymously, and nothing else is served under /graphiql.
 */
@SecuredApplicationTest
class GraphiQlRoutesTest extends GraphQlTestSupport {

    private static final Pattern LINKED = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"");

    @Test
    void thePageAndEveryFileItNamesAreServedByTheHubWithoutAToken() {
        String page = http().get().uri("/graphiql").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().value("Content-Security-Policy", csp -> assertThat(csp)
                        .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'"))
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).doesNotContain("http://", "https://", "{{")
                .contains("<meta name=\"hub-graphql-path\" content=\"/graphql\">",
                        "<meta name=\"hub-graphql-ws-path\" content=\"/graphql\">");
        assertThat(page).as("inline scripts").doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");

        Matcher linked = LINKED.matcher(page);
        List<String> files = linked.results().map(m -> m.group(1)).toList();
        assertThat(files).contains("/graphiql/app.js", "/graphiql/app.css")
                .anyMatch(path -> path.matches("/graphiql/vendor/graphiql/[^/]+/graphiql\\.min\\.js"))
                .anyMatch(path -> path.matches("/graphiql/vendor/graphiql/[^/]+/graphiql\\.min\\.css"))
                .anyMatch(path -> path.matches("/graphiql/vendor/react/[^/]+/umd/react\\.production\\.min\\.js"))
                .anyMatch(path -> path.matches("/graphiql/vendor/react-dom/[^/]+/umd/react-dom\\.production\\.min\\.js"))
                .anyMatch(path -> path.matches("/graphiql/vendor/graphql-ws/[^/]+/umd/graphql-ws\\.min\\.js"));
        WebTestClient client = http().mutate()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(8 * 1024 * 1024)).build();
        for (String file : files) {
            var response = client.get().uri(file).exchange()
                    .expectStatus().isOk()
                    .expectBody().returnResult();
            assertThat(response.getResponseBody()).as(file).isNotEmpty();
            // browsers run nothing else under X-Content-Type-Options: nosniff
            assertThat(response.getResponseHeaders().getContentType()).as(file).satisfies(type -> assertThat(
                    file.endsWith(".css") ? type.isCompatibleWith(MediaType.valueOf("text/css"))
                            : type.getSubtype().equals("javascript")).isTrue());
            if (file.startsWith("/graphiql/vendor/")) {
                // the version is in the path: a browser keeps the file until the hub names another
                client.get().uri(file).exchange().expectHeader().value(HttpHeaders.CACHE_CONTROL,
                        cache -> assertThat(cache).contains("max-age=31536000", "immutable"));
            }
        }
    }

    @Test
    void theOldUrlsStillOpenThePage() {
        // Boot's page redirected /graphiql to /graphiql?path=/graphql; bookmarks of either keep working
        http().get().uri("/graphiql?path=/graphql").exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        http().get().uri("/graphiql/").exchange().expectStatus().isPermanentRedirect()
                .expectHeader().location("/graphiql");
    }

    @Test
    void filesThePageDoesNotNameAreNotServedUnderGraphiql() {
        String reactDom = http().get().uri("/graphiql").exchange().expectBody(String.class).returnResult()
                .getResponseBody().replaceAll("(?s).*src=\"(/graphiql/vendor/react-dom/[^\"]+)\".*", "$1");
        http().get().uri(reactDom.replace("react-dom.production.min.js", "react-dom.development.js")).exchange()
                .expectStatus().isNotFound();
        http().get().uri("/graphiql/index.html").exchange().expectStatus().isNotFound();
        http().get().uri("/graphiql/vendor/graphiql/%2e%2e/%2e%2e/%2e%2e/application.yml").exchange()
                .expectStatus().is4xxClientError();
    }
}
