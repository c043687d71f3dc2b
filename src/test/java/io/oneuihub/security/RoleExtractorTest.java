package io.oneuihub.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class RoleExtractorTest {

    private static List<String> authorities(RoleExtractor extractor, Map<String, Object> claims) {
        Jwt.Builder jwt = Jwt.withTokenValue("t").header("alg", "RS256").issuedAt(Instant.now()).subject("s");
        claims.forEach(jwt::claim);
        return extractor.convert(jwt.build()).stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Test
    void adminRoleIsCaseInsensitive() {
        RoleExtractor extractor = new RoleExtractor("roles", "Admin");
        assertThat(authorities(extractor, Map.of("roles", List.of("ADMIN", "viewer")))).containsExactly("ROLE_ADMIN", "ROLE_VIEWER");
    }

    @Test
    void dottedPathsAndScopeStrings() {
        assertThat(authorities(new RoleExtractor("realm_access.roles", "admin"),
                Map.of("realm_access", Map.of("roles", List.of("admin"))))).containsExactly("ROLE_ADMIN");
        assertThat(authorities(new RoleExtractor("scp", "hub.admin"), Map.of("scp", "  a   hub.admin "))).contains("ROLE_ADMIN");
    }

    @Test
    void aRoleNamedAdminIsNotAdminWhenTheAdminRoleIsCalledSomethingElse() {
        assertThat(authorities(new RoleExtractor("roles", "hub-admin"), Map.of("roles", List.of("admin", "Admin"))))
                .doesNotContain("ROLE_ADMIN");
    }

    @Test
    void missingOrOddlyShapedClaimsGiveNoRoles() {
        RoleExtractor extractor = new RoleExtractor("realm_access.roles", "admin");
        assertThat(authorities(extractor, Map.of())).isEmpty();
        assertThat(authorities(extractor, Map.of("realm_access", "admin"))).isEmpty();
        assertThat(authorities(extractor, Map.of("realm_access", Map.of("roles", List.of(1, true))))).isEmpty();
    }
}
