package io.oneuihub.dev;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per JVM (zonky ships the binaries through Maven), with a fresh database
 * for each Spring context so tests never see each other's rows.
 */
public final class EmbeddedDatabase {

    private static EmbeddedPostgres server;
    private static final AtomicInteger databases = new AtomicInteger();

    private EmbeddedDatabase() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                File base = new File("target/embedded-pg").getAbsoluteFile();
                base.mkdirs();
                server = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(base)
                        .setDataDirectory(new File(base, "data-" + UUID.randomUUID()))
                        .setCleanDataDirectory(true)
                        .setServerConfig("max_connections", "300")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** Creates an empty database and returns its name. */
    public static String createDatabase(String prefix) {
        String name = prefix + "_" + databases.incrementAndGet() + "_" + ProcessHandle.current().pid();
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name, e);
        }
        return name;
    }

    public static String r2dbcUrl(String database) {
        return "r2dbc:postgresql://127.0.0.1:" + server().getPort() + "/" + database;
    }
}
