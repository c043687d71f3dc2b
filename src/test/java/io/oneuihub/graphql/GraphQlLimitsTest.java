package io.oneuihub.graphql;

import java.util.List;
import java.util.Map;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits let real clients through: GraphiQL's introspection, the deepest real query, GraphiQL itself. */
@IntegrationTest
class GraphQlLimitsTest extends GraphQlTestSupport {

    @Test
    void graphiqlIntrospectionQueryPassesTheLimits() {
        anonymous().documentName("securityIntrospection").execute().errors().verify()
                .path("__schema.queryType.name").entity(String.class).isEqualTo("Query")
                .path("__schema.types").entityList(Object.class).satisfies(types -> assertThat(types).hasSizeGreaterThan(20));
    }

    @Test
    void deepestRealQueryPassesTheLimits() {
        admin().document("""
                { companies(first: 100) { totalCount pageInfo { hasNextPage endCursor }
                    edges { cursor node { id slug name description logoUrl website providers createdAt updatedAt
                      models { id name description mode enabled free status externalId createdAt updatedAt lastSyncedAt
                        capabilities
                        pricing { inputCostPerToken outputCostPerToken inputCostPerMillionTokens outputCostPerMillionTokens }
                        limits { maxTokens maxInputTokens maxOutputTokens rpm tpm }
                        company { slug }
                        deployments { id externalId litellmModel provider mode editable params status
                          pricing { inputCostPerToken outputCostPerToken }
                          limits { maxTokens rpm tpm } capabilities createdAt updatedAt lastSyncedAt } } } } } }
                """).execute().errors().verify();
    }

    @Test
    void graphiqlPageIsServed() {
        http().get().uri("/graphiql?path=/graphql").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().is2xxSuccessful();
    }

    @Test
    void sameOriginAndNonBrowserClientsAreNotBlockedByCors() {
        http().post().uri("/graphql").contentType(MediaType.APPLICATION_JSON)
                .header("Origin", "http://127.0.0.1:" + port)
                .header("Authorization", "Bearer " + LocalIssuer.userToken())
                .bodyValue(Map.of("query", "{ __typename }"))
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.data.__typename").isEqualTo("Query");
    }

    @Test
    void aliasCountIncludesFragments() {
        var document = graphql.parser.Parser.parse("query { a: __typename ...F } fragment F on Query { b: __typename c: __typename }");
        assertThat(QueryLimitsInstrumentation.Aliases.countAliases(document)).isEqualTo(3);
    }

    @Test
    void documentCacheStaysBounded() {
        BoundedDocumentCache cache = new BoundedDocumentCache(3, 100);
        for (int i = 0; i < 50; i++) {
            String query = "{ a" + i + ": __typename }";
            cache.getDocumentAsync(graphql.ExecutionInput.newExecutionInput(query).build(),
                    input -> new graphql.execution.preparsed.PreparsedDocumentEntry(graphql.parser.Parser.parse(input.getQuery())));
        }
        cache.getDocumentAsync(graphql.ExecutionInput.newExecutionInput("{ " + "x ".repeat(100) + "}").build(),
                input -> new graphql.execution.preparsed.PreparsedDocumentEntry(List.of()));
        assertThat(cache.size()).isEqualTo(3);
    }
}
