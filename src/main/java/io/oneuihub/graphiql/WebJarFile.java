package io.oneuihub.graphiql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * One file of an npm WebJar on the class path, found through the WebJar's own {@code pom.properties}, so a
 * version bump in pom.xml needs no change here.
 *
 * @param webjar   the WebJar's artifactId (the npm package name)
 * @param version  the version on the class path
 * @param file     the file's path inside the npm package
 * @param resource the file
 */
record WebJarFile(String webjar, String version, String file, Resource resource) {

    private static final String GROUP = "org.webjars.npm";

    /** The file, or IllegalStateException when the WebJar or the file is not on the class path: the page would be blank. */
    static WebJarFile find(String webjar, String file, ClassLoader loader) {
        String version = version(webjar, loader);
        ClassPathResource resource = new ClassPathResource(
                "META-INF/resources/webjars/" + webjar + "/" + version + "/" + file, loader);
        if (!resource.exists()) {
            throw new IllegalStateException("GraphiQL cannot be served: " + resource.getPath() + " is not on the class path");
        }
        return new WebJarFile(webjar, version, file, resource);
    }

    /** Where the hub serves it: the version is in the path, so the file may be cached for good. */
    String urlPath() {
        return GraphiQlRoutes.VENDOR + "/" + webjar + "/" + version + "/" + file;
    }

    private static String version(String webjar, ClassLoader loader) {
        ClassPathResource pom = new ClassPathResource("META-INF/maven/" + GROUP + "/" + webjar + "/pom.properties", loader);
        if (!pom.exists()) {
            throw new IllegalStateException("GraphiQL cannot be served: the WebJar " + GROUP + ":" + webjar
                    + " is not on the class path (" + pom.getPath() + ")");
        }
        Properties properties = new Properties();
        try (InputStream in = pom.getInputStream()) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pom.getPath(), e);
        }
        String version = properties.getProperty("version");
        if (version == null || version.isBlank()) {
            throw new IllegalStateException("GraphiQL cannot be served: " + pom.getPath() + " names no version");
        }
        return version;
    }
}
