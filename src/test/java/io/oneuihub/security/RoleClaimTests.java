package io.oneuihub.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oneuihub.GraphQlTestSupport;
import io.oneuihub.IntegrationTest;
import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.test.tester.HttpGraphQlTester;
import org.springframework.test.context.TestPropertySource;

/** Roles from other claim shapes, each in its own context, with real tokens. */
class RoleClaimTests {

    private static final String BUDGETS = "{ budgets(first: 1) { totalCount } }";

    static String token(Map<String, Object> claims) {
        return LocalIssuer.token("someone@example.com", claims, Duration.ofMinutes(10));
    }

    static void admitted(HttpGraphQlTester tester) {
        tester.document(BUDGETS).execute().errors().verify();
    }

    static void forbidden(HttpGraphQlTester tester) {
        tester.document(BUDGETS).execute().errors()
                .expect(error -> error.getErrorType() == ErrorType.FORBIDDEN).verify();
    }

    @Nested
    @IntegrationTest
    @TestPropertySource(properties = {"hub.security.roles-claim=realm_access.roles", "hub.security.admin-role=Hub-Admin"})
    class KeycloakRealmRoles extends GraphQlTestSupport {

        @Test
        void adminRoleInRealmAccessIsAdminWhateverItsCase() {
            admitted(withToken(token(Map.of("realm_access", Map.of("roles", List.of("offline_access", "hub-admin"))))));
            admitted(withToken(token(Map.of("realm_access", Map.of("roles", List.of("HUB-ADMIN"))))));
        }

        @Test
        void otherRolesAndOtherClaimsAreNot() {
            forbidden(withToken(token(Map.of("realm_access", Map.of("roles", List.of("offline_access", "uma_authorization"))))));
            forbidden(withToken(token(Map.of("roles", List.of("hub-admin")))));
            // a role literally named "admin" must not become ROLE_ADMIN when the admin role is another name
            forbidden(withToken(token(Map.of("realm_access", Map.of("roles", List.of("admin"))))));
            forbidden(withToken(token(Map.of("realm_access", "hub-admin-but-not-a-map"))));
        }
    }

    @Nested
    @IntegrationTest
    @TestPropertySource(properties = {"hub.security.roles-claim=scope", "hub.security.admin-role=hub:admin"})
    class ScopeString extends GraphQlTestSupport {

        @Test
        void adminScopeInASpaceSeparatedStringIsAdmin() {
            admitted(withToken(token(Map.of("scope", "openid profile hub:admin"))));
            admitted(withToken(token(Map.of("scope", List.of("hub:admin")))));
        }

        @Test
        void otherScopesAreNot() {
            forbidden(withToken(token(Map.of("scope", "openid profile hub:read"))));
            forbidden(withToken(token(Map.of("scope", "openid hub:admin2"))));
        }
    }
}
