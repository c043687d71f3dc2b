package io.oneuihub.graphiql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;

/**
 * GraphiQL at {@code /graphiql}, every file of it served by the hub: the page works without internet access,
 * unlike Boot's page (spring.graphql.graphiql, turned off), which loads its scripts from a CDN. The page
 * (hub-graphiql/app.js) adds a token field whose token goes into the HTTP Authorization header and into
 * graphql-ws's connection_init, where {@code WebSocketAuthentication} reads it.
 *
 * <p>Only the files listed here are served. The page runs no inline script, and its Content-Security-Policy
 * says so and keeps it from loading or connecting to anything but this hub.
 */
@Configuration(proxyBeanMethods = false)
class GraphiQlRoutes {

    static final String PAGE = "/graphiql";
    static final String VENDOR = PAGE + "/vendor";

    /**
     * Scripts only from the hub, and no eval. Styles may be inline: GraphiQL's dialogs lock scrolling with a
     * &lt;style&gt; element they add (react-remove-scroll), which no nonce can reach in the UMD build. The CSS
     * embeds its fonts as data: URLs. 'self' in connect-src covers ws: to the same host and port.
     */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self' data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");

    private static final String OWN = "hub-graphiql/";
    private static final CacheControl FOREVER = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    @Bean
    RouterFunction<ServerResponse> graphiQlRouter(
            @Value("${spring.graphql.http.path:/graphql}") String graphQlPath,
            @Value("${spring.graphql.websocket.path:}") String webSocketPath) {
        ClassLoader loader = GraphiQlRoutes.class.getClassLoader();
        // Order matters: React before ReactDOM before GraphiQL; app.js last, it uses them all.
        List<WebJarFile> scripts = List.of(
                WebJarFile.find("react", "umd/react.production.min.js", loader),
                WebJarFile.find("react-dom", "umd/react-dom.production.min.js", loader),
                WebJarFile.find("graphql-ws", "umd/graphql-ws.min.js", loader),
                WebJarFile.find("graphiql", "graphiql.min.js", loader));
        List<WebJarFile> styles = List.of(WebJarFile.find("graphiql", "graphiql.min.css", loader));
        String page = page(loader, graphQlPath, webSocketPath, scripts, styles);

        RouterFunctions.Builder routes = RouterFunctions.route()
                .GET(PAGE, request -> ServerResponse.ok()
                        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .bodyValue(page))
                // relative links and a typed trailing slash land on the one page URL
                .GET(PAGE + "/", request -> ServerResponse.permanentRedirect(URI.create(PAGE)).build())
                .add(RouterFunctions.resource(RequestPredicates.path(PAGE + "/app.js"), own(loader, "app.js")))
                .add(RouterFunctions.resource(RequestPredicates.path(PAGE + "/app.css"), own(loader, "app.css")));
        for (WebJarFile file : Stream.concat(scripts.stream(), styles.stream()).toList()) {
            routes.add(RouterFunctions.resource(RequestPredicates.path(file.urlPath()), file.resource(),
                    (resource, headers) -> headers.setCacheControl(FOREVER)));
        }
        return routes.build();
    }

    private static String page(ClassLoader loader, String graphQlPath, String webSocketPath,
            List<WebJarFile> scripts, List<WebJarFile> styles) {
        StringBuilder links = new StringBuilder();
        for (WebJarFile style : styles) {
            links.append("<link rel=\"stylesheet\" href=\"").append(style.urlPath()).append("\">\n");
        }
        links.append("<link rel=\"stylesheet\" href=\"" + PAGE + "/app.css\">");
        StringBuilder tags = new StringBuilder();
        for (WebJarFile script : scripts) {
            tags.append("<script src=\"").append(script.urlPath()).append("\" defer></script>\n");
        }
        tags.append("<script src=\"" + PAGE + "/app.js\" defer></script>");
        try {
            return own(loader, "index.html").getContentAsString(StandardCharsets.UTF_8)
                    .replace("{{graphqlPath}}", HtmlUtils.htmlEscape(graphQlPath))
                    .replace("{{graphqlWsPath}}", HtmlUtils.htmlEscape(webSocketPath))
                    .replace("{{styles}}", links)
                    .replace("{{scripts}}", tags);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the GraphiQL page", e);
        }
    }

    private static Resource own(ClassLoader loader, String file) {
        ClassPathResource resource = new ClassPathResource(OWN + file, loader);
        if (!resource.exists()) {
            throw new IllegalStateException("GraphiQL cannot be served: " + resource.getPath() + " is not on the class path");
        }
        return resource;
    }
}
