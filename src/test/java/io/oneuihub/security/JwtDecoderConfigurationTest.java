package io.oneuihub.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.oneuihub.dev.LocalIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the token decoder checks for each way the issuer can be configured, and that the start-up log
 * says what it does not check. Real tokens from the local issuer, keys fetched from its JWK set.
 */
@ExtendWith(OutputCaptureExtension.class)
class JwtDecoderConfigurationTest {

    private static final String NO_AUDIENCE_WARNING = "HUB_SECURITY_AUDIENCE is not set";
    private static final String NO_ISSUER_WARNING = "the token issuer (iss) is not checked";

    private static ReactiveJwtDecoder decoder(String issuerUri, String jwkSetUri, String audience, String issuer) {
        return new SecurityConfiguration().jwtDecoder(issuerUri, jwkSetUri,
                new HubSecurityProperties("roles", "admin", audience, issuer, true, List.of()));
    }

    private static final String OTHER_ISSUER = "https://other-tenant.example";

    private static String tokenFor(List<String> audience) {
        return LocalIssuer.token(LocalIssuer.ISSUER_ID, "user@example.com", audience, Map.of(), Duration.ofHours(1));
    }

    /** Signed with the local issuer's keys but naming another issuer, as tenants of one IdP that share keys do. */
    private static String tokenOfAnotherIssuer() {
        return LocalIssuer.token(LocalIssuer.ISSUER_ID, "user@example.com", List.of(LocalIssuer.AUDIENCE),
                Map.of("iss", OTHER_ISSUER), Duration.ofHours(1));
    }

    private static Jwt decode(ReactiveJwtDecoder decoder, String token) {
        return decoder.decode(token).block(Duration.ofSeconds(10));
    }

    private static boolean warned(CapturedOutput output, String warning) {
        return output.getOut().lines().anyMatch(line -> line.contains("WARN") && line.contains(warning));
    }

    @Test
    void withoutAnAudienceAnyTokenOfTheIssuerIsAcceptedAndTheLogSaysSo(CapturedOutput output) {
        ReactiveJwtDecoder decoder = decoder(LocalIssuer.issuerUri(), LocalIssuer.jwkSetUri(), "", "");
        assertThat(warned(output, NO_AUDIENCE_WARNING)).as(output.getOut()).isTrue();
        assertThat(warned(output, NO_ISSUER_WARNING)).isFalse();
        assertThat(decode(decoder, tokenFor(List.of("another-service"))).getSubject()).isEqualTo("user@example.com");
    }

    @Test
    void withAnAudienceATokenForAnotherServiceIsRefusedAndNothingIsWarned(CapturedOutput output) {
        ReactiveJwtDecoder decoder = decoder(LocalIssuer.issuerUri(), LocalIssuer.jwkSetUri(), LocalIssuer.AUDIENCE, "");
        assertThat(decode(decoder, tokenFor(List.of(LocalIssuer.AUDIENCE))).getSubject()).isEqualTo("user@example.com");
        assertThatThrownBy(() -> decode(decoder, tokenFor(List.of("another-service"))))
                .isInstanceOf(JwtValidationException.class);
        assertThat(output.getOut()).doesNotContain(NO_AUDIENCE_WARNING).doesNotContain(NO_ISSUER_WARNING);
    }

    @Test
    void withOnlyAJwkSetUriTheIssuerIsNotCheckedAndTheLogSaysSo(CapturedOutput output) {
        ReactiveJwtDecoder decoder = decoder("", LocalIssuer.jwkSetUri(), LocalIssuer.AUDIENCE, "");
        assertThat(warned(output, NO_ISSUER_WARNING)).as(output.getOut()).isTrue();
        assertThat(warned(output, NO_AUDIENCE_WARNING)).isFalse();
        assertThat(decode(decoder, tokenOfAnotherIssuer()).getIssuer().toString()).isEqualTo(OTHER_ISSUER);
    }

    @Test
    void withAJwkSetUriAndHubSecurityIssuerATokenOfAnotherIssuerIsRefused(CapturedOutput output) {
        ReactiveJwtDecoder decoder = decoder("", LocalIssuer.jwkSetUri(), LocalIssuer.AUDIENCE, LocalIssuer.issuerUri());
        assertThat(decode(decoder, tokenFor(List.of(LocalIssuer.AUDIENCE))).getSubject()).isEqualTo("user@example.com");
        assertThatThrownBy(() -> decode(decoder, tokenOfAnotherIssuer()))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("iss");
        assertThat(output.getOut()).doesNotContain(NO_ISSUER_WARNING);
    }

    @Test
    void withAnIssuerUriAndAJwkSetUriTheIssuerUriIsChecked() {
        ReactiveJwtDecoder decoder = decoder(LocalIssuer.issuerUri(), LocalIssuer.jwkSetUri(), LocalIssuer.AUDIENCE, "");
        assertThatThrownBy(() -> decode(decoder, tokenOfAnotherIssuer()))
                .isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void anIssuerThatContradictsTheIssuerUriStopsTheStart() {
        assertThatThrownBy(() -> decoder(LocalIssuer.issuerUri(), LocalIssuer.jwkSetUri(), LocalIssuer.AUDIENCE,
                OTHER_ISSUER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HUB_SECURITY_ISSUER");
    }
}
