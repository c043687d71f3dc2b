package io.oneuihub.security;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.test.context.TestPropertySource;

/** HUB_SECURITY_PUBLIC_CATALOG=false, HUB_GRAPHQL_INTROSPECTION=false and one allowed origin. */
@IntegrationTest
@TestPropertySource(properties = {"hub.security.public-catalog=false", "hub.graphql.introspection=false",
        "hub.security.allowed-origins=https://admin.example"})
class LockedDownConfigurationTest extends GraphQlTestSupport {

    @Test
    void catalogNeedsAnAuthenticatedCaller() {
        for (String query : new String[] {"{ models { totalCount } }", "{ companies { totalCount } }",
                "{ company(slug: \"openai\") { name } }", "{ model(name: \"x\") { name } }"}) {
            anonymous().document(query).execute().errors()
                    .expect(error -> error.getErrorType() == ErrorType.UNAUTHORIZED).verify();
            user().document(query).execute().errors().verify();
        }
    }

    @Test
    void aClosedCatalogGivesAnonymousCallersNoCachedAnswerAndNoRevalidation() {
        String uri = "/graphql?query={query}";
        // "*" matches any tag: were anonymous answers cached, this would be a 304 telling the caller the catalog is current
        String body = http().get().uri(uri, "{ models { totalCount } }").header("Accept", "application/json")
                .header("If-None-Match", "*").exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("ETag")
                .expectHeader().valueEquals("X-Catalog-Cache", "BYPASS")
                .expectBody(String.class).returnResult().getResponseBody();
        org.assertj.core.api.Assertions.assertThat(body).contains("UNAUTHORIZED");
        http().get().uri(uri, "{ models { totalCount } }").header("Accept", "application/json")
                .headers(h -> h.setBearerAuth(io.oneuihub.dev.LocalIssuer.userToken())).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Cache-Control", "private, no-cache")
                .expectHeader().exists("ETag");
    }

    @Test
    void introspectionIsSwitchedOff() {
        admin().document("{ __schema { queryType { name } } }").execute().errors()
                .expect(error -> error.getMessage().toLowerCase().contains("introspection")).verify();
        admin().document("{ __typename }").execute().errors().verify();
    }

    @Test
    void listedOriginGetsCorsOthersDoNot() {
        http().options().uri("/graphql").header("Origin", "https://admin.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://admin.example");
        http().options().uri("/graphql").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .exchange().expectStatus().isForbidden();
    }
}
