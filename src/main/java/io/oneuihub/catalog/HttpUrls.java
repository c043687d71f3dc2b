package io.oneuihub.catalog;

import java.net.URI;
import java.net.URISyntaxException;

/** The one rule for URLs an admin types (a company's website, a deployment's api_base): http or https, with a host. */
final class HttpUrls {

    private HttpUrls() {
    }

    static boolean valid(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme();
            return ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
